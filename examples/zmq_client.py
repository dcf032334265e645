#!/usr/bin/env python3
"""A robot-side control loop for `lara serve` (protocol v1, docs/serve.md), using only pyzmq.

    lara serve --agent random --robot tabletop-sim --bind tcp://127.0.0.1:5555
    python3 examples/zmq_client.py --endpoint tcp://127.0.0.1:5555 --steps 50

Replace get_observation() and apply_command() with your robot's camera and command interface.
The loop follows the rules docs/serve.md asks of every client:
  * apply every reply's `action` (it is the stop action when `stopped` is true or `ok` is false);
  * if no reply comes within the timeout, stop the robot yourself, then reconnect (a REQ socket
    that missed a reply cannot send again; closing it with linger 0 and opening a new one is the
    "lazy pirate" pattern).
"""
import argparse
import json
import struct
import time

import zmq


def get_observation(width, height, t):
    """Camera frame as rgb8 bytes (H x W x 3, row-major) and a state vector. Replace with yours."""
    row = bytes((x * 255 // max(1, width - 1)) for x in range(width) for _ in range(3))
    image = row * height
    state = [0.0] * 6
    return image, state


def apply_command(action, reply):
    """Send `action` (one float per DoF, in info's action_names order) to the robot. Replace with yours."""
    tag = f"STOP ({reply.get('reason')})" if reply.get("stopped") else "cmd"
    print(f"seq {reply.get('seq')}: {tag} {[round(a, 3) for a in action]} server {reply.get('latency_ms', 0):.2f} ms")


class LaraClient:
    def __init__(self, endpoint, timeout_ms):
        self.endpoint = endpoint
        self.timeout_ms = timeout_ms
        self.ctx = zmq.Context.instance()
        self.seq = 0
        self.sock = None
        self._connect()

    def _connect(self):
        if self.sock is not None:
            self.sock.close(linger=0)
        self.sock = self.ctx.socket(zmq.REQ)
        self.sock.setsockopt(zmq.LINGER, 0)
        self.sock.connect(self.endpoint)

    def request(self, header, frames=()):
        """Send header (+ frames); return the reply dict, or None after a timeout (socket is renewed)."""
        header = {"v": 1, "seq": self.seq, **header}
        self.seq += 1
        self.sock.send_multipart([json.dumps(header).encode()] + list(frames))
        if self.sock.poll(self.timeout_ms, zmq.POLLIN):
            return json.loads(self.sock.recv_multipart()[0])
        self._connect()
        return None

    def act(self, image, width, height, state=None, instruction=None):
        header = {"type": "act", "width": width, "height": height, "encoding": "rgb8", "stamp": time.time()}
        if instruction is not None:
            header["instruction"] = instruction
        frames = [image]
        if state is not None:
            frames.append(struct.pack(f"<{len(state)}f", *state))  # float32 little-endian
        return self.request(header, frames)

    def close(self):
        self.sock.close(linger=0)


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--endpoint", default="tcp://127.0.0.1:5555")
    p.add_argument("--steps", type=int, default=20)
    p.add_argument("--instruction", default="")
    p.add_argument("--timeout-ms", type=int, default=500, help="stop the robot when no reply comes this fast")
    args = p.parse_args()

    client = LaraClient(args.endpoint, args.timeout_ms)
    info = client.request({"type": "info"})
    if info is None or not info.get("ok"):
        raise SystemExit(f"lara serve did not answer info at {args.endpoint}: {info}")
    stop = info["stop_action"]
    cam = info["image"]["camera"] or {"width": 64, "height": 64}
    period = 1.0 / info["rate_hz"]
    print(f"robot {info['robot']['name']}: {len(info['action_names'])} DoF at {info['rate_hz']} Hz, agent {info['agent']['name']}")
    for lim in info["limits"]:
        print(f"  {lim['name']:<28} [{lim['min']}, {lim['max']}] {lim['unit']}")
    client.request({"type": "reset", "instruction": args.instruction, "seed": 0})

    try:
        for t in range(args.steps):
            t0 = time.monotonic()
            image, state = get_observation(cam["width"], cam["height"], t)
            reply = client.act(image, cam["width"], cam["height"], state, args.instruction)
            if reply is None:
                print("no reply in time: stopping the robot and reconnecting")
                apply_command(stop, {"stopped": True, "reason": "client-timeout", "seq": None})
            elif not reply["ok"]:
                print(f"request refused: {reply['error']}")
                apply_command(reply["action"], reply)  # the stop action
            else:
                apply_command(reply["action"], reply)
            time.sleep(max(0.0, period - (time.monotonic() - t0)))
    finally:
        apply_command(stop, {"stopped": True, "reason": "client-exit", "seq": None})
        client.close()


if __name__ == "__main__":
    main()
