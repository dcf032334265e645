# Writes python-written.safetensors with Python's standard library only (struct, json), as an
# independent check of lara's reader. Run by hand: /usr/bin/python3 make-golden.py
# The layout follows the safetensors spec: u64 LE header size, JSON header padded with spaces to a
# multiple of 8, then raw little-endian data. Tensors are placed in a deliberately unsorted order.
import json, struct

def bf16(x):
    return struct.pack('<I', struct.unpack('<I', struct.pack('<f', x))[0])[2:]

tensors = [
    ('u8', 'U8', [3], bytes([0, 128, 255])),
    ('f32', 'F32', [2, 3], struct.pack('<6f', 0.5, -1.0, 2.25, 3.0, -4.5, 1e-3)),
    ('f16', 'F16', [4], struct.pack('<4e', 1.0, -2.5, 0.333251953125, 65504.0)),
    ('bf16', 'BF16', [3], b''.join(bf16(x) for x in (1.5, -3.0, 0.099609375))),
    ('i32', 'I32', [2], struct.pack('<2i', -7, 2147483647)),
    ('i64', 'I64', [2], struct.pack('<2q', -5, 9)),
]
header = {'__metadata__': {'written_by': 'python struct'}}
data = b''
for name, dtype, shape, raw in tensors:
    header[name] = {'dtype': dtype, 'shape': shape, 'data_offsets': [len(data), len(data) + len(raw)]}
    data += raw
h = json.dumps(header).encode('utf-8')
h += b' ' * ((8 - len(h) % 8) % 8)
with open('python-written.safetensors', 'wb') as f:
    f.write(struct.pack('<Q', len(h)) + h + data)
