#!/usr/bin/env python3
"""PyTorch twins of lara's small-config training steps (bench/train_steps.ts, bench/README.md).

Same dimensions and the same ops as lara's models at configs/<component>/small.json:
- lam: latent action model on pixels (64x64x3 clips of 4 frames, patch 8, encoder and decoder
  ST stacks 2 x width 96 x 4 heads, action token, cosine VQ with 8 codes of 32, residual decoder
  in logit space, sigmoid, MSE), batch 8;
- dynamics: MaskGIT ST transformer over 8x8 tokens of 4 frames (vocab 512 + mask, 4 x width 128 x
  4 heads, additive latent actions of 32 under stop-gradient, masked cross-entropy), batch 4.
A training step: forward, backward, global-norm clip 1.0, AdamW (betas 0.9/0.9, weight decay
1e-4 on matrices, lr 1e-3), loss read back. Median of --steps steps after 3 warm-ups.
Prints one JSON line per model: {"model", "params", "train_step_ms", "forward_ms"}.

  /usr/bin/python3 bench/torch_models.py --threads 1 [--models lam,dynamics] [--steps 10]
(bench/train_steps.ts runs it with OPENBLAS_CORETYPE/OPENBLAS_L2_SIZE unset, OMP_WAIT_POLICY=PASSIVE.)
"""
import argparse, json, math, statistics, time

import torch
import torch.nn as nn
import torch.nn.functional as F

p = argparse.ArgumentParser()
p.add_argument("--threads", type=int, default=1)
p.add_argument("--steps", type=int, default=10)
p.add_argument("--models", default="lam,dynamics")
a = p.parse_args()
torch.set_num_threads(a.threads)
torch.manual_seed(0)


class Attention(nn.Module):
    def __init__(self, d, h, causal):
        super().__init__()
        self.qkv, self.out, self.h, self.causal = nn.Linear(d, 3 * d), nn.Linear(d, d), h, causal

    def forward(self, x):  # x [G, L, D]
        g, l, d = x.shape
        q, k, v = self.qkv(x).view(g, l, 3, self.h, d // self.h).permute(2, 0, 3, 1, 4)  # [G, H, L, dh]
        att = (q * (1 / math.sqrt(d // self.h))) @ k.transpose(-1, -2)
        if self.causal:
            att = att + torch.triu(torch.full((l, l), -1e9), 1)
        return self.out((att.softmax(-1) @ v).transpose(1, 2).reshape(g, l, d))


class STBlock(nn.Module):
    """Pre-LN: spatial attention over S, causal temporal attention over T, tanh-GELU MLP."""

    def __init__(self, d, h, ratio=4):
        super().__init__()
        self.ln1, self.ln2, self.ln3 = nn.LayerNorm(d), nn.LayerNorm(d), nn.LayerNorm(d)
        self.spatial, self.temporal = Attention(d, h, False), Attention(d, h, True)
        self.fc1, self.fc2 = nn.Linear(d, ratio * d), nn.Linear(ratio * d, d)

    def forward(self, x):  # [B, T, S, D]
        b, t, s, d = x.shape
        x = x + self.spatial(self.ln1(x).reshape(b * t, s, d)).view(b, t, s, d)
        y = self.ln2(x).transpose(1, 2).reshape(b * s, t, d)
        x = x + self.temporal(y).view(b, s, t, d).transpose(1, 2)
        return x + self.fc2(F.gelu(self.fc1(self.ln3(x)), approximate="tanh"))


class Pos(nn.Module):
    def __init__(self, n, t, d):
        super().__init__()
        self.spatial = nn.Parameter(torch.randn(n, d) * 0.02)
        self.temporal = nn.Parameter(torch.randn(t, d) * 0.02)

    def forward(self, x):  # [B, T, N, D]
        t = x.shape[1]
        return x + self.spatial[None, None] + self.temporal[None, :t, None]


def patchify(x, p):  # [B, T, H, W, C] -> [B, T, N, p*p*C]
    b, t, h, w, c = x.shape
    return x.view(b, t, h // p, p, w // p, p * c).permute(0, 1, 2, 4, 3, 5).reshape(b, t, (h // p) * (w // p), p * p * c)


def unpatchify(x, p, h, w, c):
    b, t = x.shape[:2]
    return x.view(b, t, h // p, w // p, p, p * c).permute(0, 1, 2, 4, 3, 5).reshape(b, t, h, w, c)


class LAM(nn.Module):
    H, W, C, T, P, E, L, HEADS, K, DC = 64, 64, 3, 4, 8, 96, 2, 4, 8, 32

    def __init__(self):
        super().__init__()
        n, pd, e = (self.H // self.P) * (self.W // self.P), self.P * self.P * self.C, self.E
        self.n = n
        self.enc_in = nn.Linear(pd, e)
        self.action_token = nn.Parameter(torch.randn(1, e) * 0.02)
        self.enc_pos = Pos(n + 1, self.T, e)
        self.enc = nn.ModuleList([STBlock(e, self.HEADS) for _ in range(self.L)])
        self.enc_ln, self.to_code = nn.LayerNorm(e), nn.Linear(e, self.DC)
        self.codebook = nn.Parameter(torch.randn(self.K, self.DC))
        self.dec_in, self.action_in = nn.Linear(pd, e), nn.Linear(self.DC, e)
        self.dec_pos = Pos(n, self.T, e)
        self.dec = nn.ModuleList([STBlock(e, self.HEADS) for _ in range(self.L)])
        self.dec_ln, self.out = nn.LayerNorm(e), nn.Linear(e, pd)

    def forward(self, clip):  # [B, T, H, W, C] in [0, 1]
        x = patchify(clip, self.P)  # [B, T, N, P]
        b, t, n, _ = x.shape
        h = self.enc_in(x)
        h = torch.cat([h, self.action_token.view(1, 1, 1, -1).expand(b, t, 1, -1)], 2)
        h = self.enc_pos(h)
        for blk in self.enc:
            h = blk(h)
        z = self.to_code(self.enc_ln(h)[:, 1:, n])  # [B, T-1, Dc]
        z2 = F.normalize(z, dim=-1, eps=1e-12)
        table = F.normalize(self.codebook, dim=-1, eps=1e-12)
        idx = (z2 @ table.t()).argmax(-1)
        q = table[idx]
        vq = F.mse_loss(q, z2.detach()) + 0.25 * F.mse_loss(z2, q.detach())
        act = z2 + (q - z2).detach()
        prev = x[:, : t - 1]
        d = self.dec_pos(self.dec_in(prev) + self.action_in(act)[:, :, None])
        for blk in self.dec:
            d = blk(d)
        y = self.out(self.dec_ln(d))
        pc = prev.clamp(1e-3, 1 - 1e-3)
        y = y + torch.log(pc / (1 - pc))
        pred = unpatchify(torch.sigmoid(y), self.P, self.H, self.W, self.C)
        return F.mse_loss(pred, clip[:, 1:]) + vq

    def batch(self):
        return (torch.rand(8, self.T, self.H, self.W, self.C),)


class Dynamics(nn.Module):
    V, GH, GW, T, A, D, L, HEADS = 512, 8, 8, 4, 32, 128, 4, 4

    def __init__(self):
        super().__init__()
        self.n = self.GH * self.GW
        self.embed = nn.Embedding(self.V + 1, self.D)
        self.pos = Pos(self.n, self.T, self.D)
        self.action_in = nn.Linear(self.A, self.D)
        self.body = nn.ModuleList([STBlock(self.D, self.HEADS) for _ in range(self.L)])
        self.ln, self.head = nn.LayerNorm(self.D), nn.Linear(self.D, self.V)

    def forward(self, tokens, mask, actions):
        b, t, n = tokens.shape
        ids = torch.where(mask, torch.full_like(tokens, self.V), tokens)
        h = self.pos(self.embed(ids))
        ah = self.action_in(actions[:, : t - 1].detach())[:, :, None]  # [B, T-1, 1, D]
        h = h + torch.cat([torch.zeros(b, 1, 1, self.D), ah], 1)
        for blk in self.body:
            h = blk(h)
        logits = self.head(self.ln(h)).reshape(-1, self.V)
        w = mask.reshape(-1).float()
        nll = F.cross_entropy(logits, tokens.reshape(-1), reduction="none")
        return (nll * w).sum() / w.sum().clamp_min(1e-12)

    def batch(self):
        b = 4
        tokens = torch.randint(0, self.V, (b, self.T, self.n))
        mask = torch.rand(b, self.T, self.n) < 0.5
        return tokens, mask, torch.randn(b, self.T - 1, self.A)


def bench(name, model):
    decay = [p for p in model.parameters() if p.dim() >= 2]
    rest = [p for p in model.parameters() if p.dim() < 2]
    opt = torch.optim.AdamW([{"params": decay, "weight_decay": 1e-4}, {"params": rest, "weight_decay": 0.0}], lr=1e-3, betas=(0.9, 0.9))
    batch = model.batch()

    def step():
        opt.zero_grad(set_to_none=True)
        loss = model(*batch)
        loss.backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
        opt.step()
        return loss.item()

    def fwd():
        with torch.no_grad():
            return model(*batch).item()

    def median_ms(f, n):
        for _ in range(3):
            f()
        ts = []
        for _ in range(n):
            t0 = time.perf_counter()
            f()
            ts.append((time.perf_counter() - t0) * 1000)
        return statistics.median(ts)

    tr = median_ms(step, a.steps)
    fw = median_ms(fwd, a.steps)
    params = sum(p.numel() for p in model.parameters())
    print(json.dumps({"model": name, "framework": f"torch {torch.__version__}", "threads": a.threads, "params": params,
                      "train_step_ms": round(tr, 2), "forward_ms": round(fw, 2)}), flush=True)


for m in a.models.split(","):
    bench(m, {"lam": LAM, "dynamics": Dynamics}[m]())
