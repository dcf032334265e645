{
  # Built by native/build.mjs (npm "install" script), never by npm itself: this file lives
  # under native/ so that npm does not run node-gyp on machines without OpenBLAS.
  "variables": {
    "lara_march%": "native"
  },
  "targets": [
    {
      "target_name": "lara_native",
      "sources": [
        "src/addon.cc",
        "src/gemm.cc",
        "src/unary.cc",
        "src/reduce.cc",
        "src/transpose.cc",
        "src/copy.cc",
        "src/binary.cc",
        "src/fused.cc",
        "src/attention.cc",
        "src/parallel.cc"
      ],
      "cflags_cc!": ["-fno-exceptions", "-O2", "-O0", "-g"],
      "cflags!": ["-O2", "-O0", "-g"],
      "cflags_cc": [
        "-O3",
        "-std=c++17",
        "-march=<(lara_march)",
        "-fno-math-errno",
        "-fno-trapping-math",
        "-fopenmp-simd"
      ],
      "libraries": ["-lopenblas", "-lmvec", "-lm"],
      "defines": ["NAPI_VERSION=8"]
    }
  ]
}
