"""
The multi-task training step of `trainStep.ts` in PyTorch, for `npm run train -- --engine torch`: on this
machine's CPUs PyTorch trains the same network ~3.5x faster per core than tfjs on WASM. Node stays the owner of
everything else (synthesis, the weight average, validation, checkpoints, export); this process only holds the
network's weights and Adam's state and runs steps. The same network, loss and optimizer as the tfjs code, op for op
(`torchTrainer.test.ts` checks that one step here and one step there give the same losses and weights):
- UNet++ of `unetPlusPlus.ts` and the LFFGM of `multiTaskModel.ts`; channels first here, the tfjs names kept;
- batch norm + ReLU of `batchNormRelu.ts`: batch statistics, running statistics with the biased variance;
- bilinear upsampling as tfjs' UpSampling2D does it (resizeBilinear without half-pixel centres: source = out / f);
- loss of `multiTaskLoss.ts` (Dice + BCE per task, 4-neighbour Laplacian consistency), edge band of `edgeLabels.ts`;
- Adam with tfjs' defaults (beta 0.9 / 0.999, epsilon 1e-7).

Protocol: one JSON message per line on stdin, one reply per line on stdout; tensors travel as float32 files (in
a folder Node makes, in memory where the system has /dev/shm), so that neither side waits on a pipe's buffer while
the other computes. Node sends `init`, then `step`s (and `save-optimizer` / `load-optimizer` with checkpoints).
"""
import json
import sys

import torch
import torch.nn.functional as F

DICE_SMOOTH = 1.0
LAPLACIAN_4 = torch.tensor([[0.0, 1.0, 0.0], [1.0, -4.0, 1.0], [0.0, 1.0, 0.0]]).reshape(1, 1, 3, 3)


def read_floats(path):
    with open(path, "rb") as f:
        return torch.frombuffer(bytearray(f.read()), dtype=torch.float32)


def upsample_axis(x, axis, factor):
    """Along one spatial axis of x [N, H, W, C]: out[f k + r] = (1 - r / f) x[k] + (r / f) x[min(k + 1, last)]."""
    size = x.shape[axis]
    following = torch.cat([x.narrow(axis, 1, size - 1), x.narrow(axis, size - 1, 1)], dim=axis)
    shape = [1] * 5
    shape[axis + 1] = factor
    fraction = torch.arange(factor, dtype=x.dtype).reshape(shape) / factor
    out = x.unsqueeze(axis + 1) + (following - x).unsqueeze(axis + 1) * fraction  # the new axis after `axis`
    return out.flatten(axis, axis + 1)


def upsample(x, factor):
    """x [N, C, H, W] -> [N, C, H * factor, W * factor], as tfjs' resizeBilinear without half-pixel centres
    (source = out / factor). Computed on the channels-last view, so that the result stays channels-last."""
    nhwc = x.permute(0, 2, 3, 1)
    return upsample_axis(upsample_axis(nhwc, 1, factor), 2, factor).permute(0, 3, 1, 2)


class MultiTaskUnetPlusPlus:
    """The training network, as a function of named tensors (tfjs weight names; kernels stored tfjs-shaped)."""

    def __init__(self, spec, momentum, epsilon, named):
        self.filters = spec["filters"]
        self.aux = spec["aux"]
        self.momentum = momentum
        self.epsilon = epsilon
        self.names = [name for name, _ in named]
        self.tensors = {}
        for name, tensor in named:
            trainable = not name.endswith(("moving_mean", "moving_variance"))
            if name.endswith("kernel"):
                # [kh, kw, in, out] -> [out, in, kh, kw], in memory [out, kh, kw, in]
                tensor = tensor.permute(3, 2, 0, 1).contiguous(memory_format=torch.channels_last)
            self.tensors[name] = tensor.requires_grad_(trainable)

    def trainable(self):
        return [t for t in self.tensors.values() if t.requires_grad]

    def flat_weights(self):
        """Every weight in tfjs' order and layout, as one float32 buffer."""
        parts = []
        for name in self.names:
            tensor = self.tensors[name].detach()
            if name.endswith("kernel"):
                tensor = tensor.permute(2, 3, 1, 0)
            parts.append(tensor.contiguous().reshape(-1))
        return torch.cat(parts).numpy().tobytes()

    def conv_unit(self, x, name):
        """3x3 conv without bias, then batch norm (batch statistics) and ReLU; updates the running statistics."""
        t = self.tensors
        x = F.conv2d(x, t[f"{name}_conv/kernel"], padding=1)
        moving_mean, moving_variance = t[f"{name}_bn/moving_mean"], t[f"{name}_bn/moving_variance"]
        # F.batch_norm updates copies (autograd keeps its arguments): new = m old + (1 - m) v_u, with the unbiased batch
        # variance v_u; tfjs (batchNormRelu.ts) uses the biased one, v_u (n - 1) / n: its value is new - (new - m old) / n.
        mean, variance = moving_mean.clone(), moving_variance.clone()
        y = F.batch_norm(x, mean, variance, t[f"{name}_bn/gamma"], t[f"{name}_bn/beta"], training=True, momentum=1 - self.momentum, eps=self.epsilon)
        n = x.numel() // x.shape[1]
        with torch.no_grad():
            moving_mean.copy_(mean)
            moving_variance.copy_(variance - (variance - self.momentum * moving_variance) / n)
        return F.relu(y)

    def head(self, x, name):
        return F.conv2d(x, self.tensors[f"{name}/kernel"], self.tensors[f"{name}/bias"])

    def __call__(self, slices):
        """slices [N, C, H, W] -> mask logits [N, 1, H, W], edge logits [N, 1, H, W] or None."""
        node = lambda x, i, j: self.conv_unit(self.conv_unit(x, f"x_{i}_{j}_1"), f"x_{i}_{j}_2")
        x = [[None] * 5 for _ in range(5)]
        x[0][0] = node(slices, 0, 0)
        for i in range(1, 5):
            x[i][0] = node(F.max_pool2d(x[i - 1][0], 2), i, 0)
        for j in range(1, 5):
            for i in range(0, 5 - j):
                merged = torch.cat(x[i][:j] + [upsample(x[i + 1][j - 1], 2)], dim=1)
                x[i][j] = node(merged, i, j)
        f_whole = x[0][4]
        mask_logits = self.head(f_whole, "mask_head")
        if self.aux == "none":
            return mask_logits, None
        if self.aux == "simple":
            return mask_logits, self.head(f_whole, "edge_head")
        deepest = x[4][0]
        y = deepest
        for step in (1, 2):
            y = self.conv_unit(F.max_pool2d(y, 2), f"lffgm_down_{step}")
        for step in (1, 2):
            y = self.conv_unit(upsample(y, 2), f"lffgm_up_{step}")
        f_low = upsample(self.head(torch.cat([y, deepest], dim=1), "lffgm_out"), 16)
        return mask_logits, self.head(f_whole - f_low, "edge_head")


def edge_labels(mask, width):
    outside, inside = (width + 1) // 2, width // 2
    dilated = F.max_pool2d(mask, 2 * outside + 1, stride=1, padding=outside)
    eroded = -F.max_pool2d(-mask, 2 * inside + 1, stride=1, padding=inside) if inside > 0 else mask
    return dilated - eroded


def segment_loss(logits, target, weights):
    probs = torch.sigmoid(logits)
    intersection = (probs * target).sum(dim=(1, 2, 3))
    sizes = probs.sum(dim=(1, 2, 3)) + target.sum(dim=(1, 2, 3))
    dice = 1 - ((2 * intersection + DICE_SMOOTH) / (sizes + DICE_SMOOTH)).mean()
    return weights["dice"] * dice + weights["bce"] * F.binary_cross_entropy_with_logits(logits, target)


def laplacian_weight_at(full, warmup, step):
    return full * min(step + 1, warmup) / warmup if warmup > 0 else full


class StepServer:
    def __init__(self, header):
        torch.set_num_threads(header["threads"])
        values = read_floats(header["weightsPath"])
        named, offset = [], 0
        for entry in header["tensors"]:
            size = 1
            for d in entry["shape"]:
                size *= d
            named.append((entry["name"], values[offset : offset + size].reshape(entry["shape"]).clone()))
            offset += size
        self.model = MultiTaskUnetPlusPlus(header["spec"], header["momentum"], header["epsilon"], named)
        self.optimizer = torch.optim.Adam(self.model.trainable(), lr=header["learningRate"], betas=(0.9, 0.999), eps=1e-7)
        self.loss_weights = header["lossWeights"]
        self.edge_width = header["edgeWidthPx"]
        self.warmup = header["laplacianWarmupSteps"]

    def step(self, header):
        n, h, w, c = header["shape"]
        data = read_floats(header["batchPath"])
        # Sent as [N, H, W, C] (the scan, then any contrast channels): viewed as [N, C, H, W] with NHWC memory, the
        # channels-last layout the network runs in, where PyTorch's CPU convolutions (oneDNN) are several times
        # faster than in NCHW.
        images = data[: n * h * w * c].reshape(n, h, w, c).permute(0, 3, 1, 2).contiguous(memory_format=torch.channels_last)
        masks = data[n * h * w * c :].reshape(n, 1, h, w)
        weights = self.loss_weights
        mask_logits, edge_logits = self.model(images)
        mask_loss = segment_loss(mask_logits, masks, weights["segment"])
        difference = torch.sigmoid(mask_logits) - masks
        laplacian = F.conv2d(difference, LAPLACIAN_4, padding=1).abs().mean()
        delta = laplacian_weight_at(weights["laplacian"], self.warmup, header["step"])
        total = weights["mask"] * mask_loss + delta * laplacian
        edge_loss = None
        if edge_logits is not None:
            edge_loss = segment_loss(edge_logits, edge_labels(masks, self.edge_width), weights["segment"])
            total = total + weights["edge"] * edge_loss
        for group in self.optimizer.param_groups:  # the schedule is computed in Node (trainStep.ts: learningRateAt)
            group["lr"] = header["learningRate"]
        self.optimizer.zero_grad(set_to_none=True)
        total.backward()
        self.optimizer.step()
        with open(header["weightsPath"], "wb") as f:
            f.write(self.model.flat_weights())
        return {"total": total.item(), "mask": mask_loss.item(), "laplacian": laplacian.item(), "edge": None if edge_loss is None else edge_loss.item()}


def main():
    server = None
    for line in sys.stdin:
        header = json.loads(line)
        kind = header["kind"]
        if kind == "init":
            server = StepServer(header)
            reply = {"kind": "ready", "torch": torch.__version__, "threads": torch.get_num_threads()}
        elif kind == "step":
            reply = {"kind": "stepped", "losses": server.step(header)}
        elif kind == "save-optimizer":
            torch.save(server.optimizer.state_dict(), header["path"])
            reply = {"kind": "saved"}
        elif kind == "load-optimizer":
            server.optimizer.load_state_dict(torch.load(header["path"]))
            reply = {"kind": "loaded"}
        else:
            raise ValueError(f"unknown message {kind}")
        print(json.dumps(reply), flush=True)


if __name__ == "__main__":
    main()
