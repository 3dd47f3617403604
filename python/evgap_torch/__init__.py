"""evgap_torch: EVGAP pre-training as a PyTorch distributed job.

The same model, losses, optimizers and clip sampling as EVGAP Studio's TF.js engine, for a job folder the app
exports (`evgap export job`): `torchrun --nproc_per_node N -m evgap_torch.train JOB_DIR` trains it with
DistributedDataParallel and writes checkpoints and metrics that `evgap import run JOB_DIR` brings back into the
catalog. Needs torch >= 1.13 and numpy; lmdb for LMDB features.
"""
