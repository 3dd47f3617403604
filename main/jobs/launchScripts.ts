// The scripts a job folder carries: launch.sh (torchrun on one machine, from any working directory, with the
// package inside the folder on PYTHONPATH; the interpreter that has torch runs torch.distributed.run, else the
// `torchrun` on PATH), an example SLURM batch script (one task per node, torchrun's c10d rendezvous on the first
// node) and a README that says what is where and how to bring the results back.
import { jobFiles, type JobSpec } from './jobFormat';

export function launchScript(): string {
  return `#!/usr/bin/env bash
# Trains this EVGAP pre-training job with torchrun on this machine (DistributedDataParallel: NCCL on GPUs, gloo on
# CPUs). Run it again after a crash, a kill or a preemption: training resumes from the latest checkpoint in output/.
#
#   ./launch.sh [--nproc N] [--root NAME=PATH ...] [--device auto|cpu|cuda] [--precision fp32|bf16] [--threads N]
#
# --nproc N        processes (default: one per visible GPU, else 1); the global batch must divide by N
# --root NAME=PATH where dataset NAME's feature files are on this machine (default: where they were when exported)
# PYTHON           the interpreter with torch >= 1.13 and numpy (default: python3)
set -euo pipefail
job="$(cd "$(dirname "\${BASH_SOURCE[0]}")" && pwd)"
python="\${PYTHON:-python3}"
nproc=""
args=()
while [ $# -gt 0 ]; do
  case "$1" in
    --nproc) nproc="\${2:?--nproc needs a number}"; shift 2 ;;
    --nproc=*) nproc="\${1#*=}"; shift ;;
    *) args+=("$1"); shift ;;
  esac
done
export PYTHONPATH="$job/${jobFiles.python}\${PYTHONPATH:+:$PYTHONPATH}"
if "$python" -c 'import torch.distributed.run' >/dev/null 2>&1; then
  launcher=("$python" -m torch.distributed.run)
  probe="$python"
elif command -v torchrun >/dev/null 2>&1; then
  launcher=(torchrun)
  probe="$(head -n 1 "$(command -v torchrun)" | sed -e 's/^#! *//')"
else
  echo "launch.sh: no PyTorch: '$python' cannot import torch.distributed.run and there is no torchrun on PATH" >&2
  echo "launch.sh: set PYTHON to an interpreter with torch >= 1.13 and numpy" >&2
  exit 2
fi
if [ -z "$nproc" ]; then
  nproc="$($probe -c 'import torch; print(max(1, torch.cuda.device_count()))' 2>/dev/null || echo 1)"
fi
# Each process's stdout is also kept in output/logs/. (--redirects 1 --tee 1 rather than torchrun's default 0: with
# Python 3.11, torch 1.13's torchrun cannot parse 0, since Python 3.11's IntFlag no longer lists its zero member.)
exec "\${launcher[@]}" --standalone --nnodes 1 --nproc_per_node "$nproc" --redirects 1 --tee 1 --log_dir "$job/output/logs" \\
  -m evgap_torch.train "$job" \${args[@]+"\${args[@]}"}
`;
}

export function slurmScript(spec: JobSpec): string {
  return `#!/usr/bin/env bash
# An example SLURM batch script for this job: one task per node; on each, torchrun starts one process per GPU and
# the processes meet through torchrun's c10d rendezvous on the first node. Adjust the resources and the
# environment lines to your cluster, copy the job folder there, and submit from inside it: sbatch ${jobFiles.slurm}
# Resubmitting (or --requeue after a preemption) resumes from the latest checkpoint in output/.
#SBATCH --job-name=evgap-step${spec.step}
#SBATCH --nodes=1
#SBATCH --ntasks-per-node=1
#SBATCH --gpus-per-node=4
#SBATCH --cpus-per-task=16
#SBATCH --time=24:00:00
#SBATCH --requeue
#SBATCH --output=%x-%j.out
set -euo pipefail
gpus_per_node=4                          # as --gpus-per-node above; the global batch must divide by nodes × GPUs
job="\${EVGAP_JOB:-$SLURM_SUBMIT_DIR}"     # the job folder (sbatch runs a copy of this script elsewhere)
# module load cuda; source ~/venvs/torch/bin/activate   # an environment with torch >= 1.13 and numpy (+ lmdb)
export PYTHONPATH="$job/${jobFiles.python}\${PYTHONPATH:+:$PYTHONPATH}"
head_node="$(scontrol show hostnames "$SLURM_JOB_NODELIST" | head -n 1)"
srun torchrun \\
  --nnodes "$SLURM_JOB_NUM_NODES" --nproc_per_node "$gpus_per_node" \\
  --rdzv_id "$SLURM_JOB_ID" --rdzv_backend c10d --rdzv_endpoint "$head_node:29500" \\
  --redirects 1 --tee 1 --log_dir "$job/output/logs" \\
  -m evgap_torch.train "$job" ${spec.datasets.map((d) => `--root ${d.name}=${shellQuote(d.root)}`).join(' ')}
`;
}

export function jobReadme(spec: JobSpec, batchesPerEpoch: number): string {
  const settings = spec.step === 1 ? spec.config.step1 : spec.config.step2;
  const batch = spec.step === 1 ? `${spec.config.step1.batchPairs} ego-exo pairs` : `${spec.config.step2.batchGroups} groups`;
  return `# EVGAP pre-training job: ${spec.kind}

Exported by ${spec.createdBy.app} ${spec.createdBy.version} on ${spec.createdAt}: preset \`${spec.preset}\`, seed ${spec.seed},
${settings.steps} optimizer steps of ${batch} (${batchesPerEpoch} batches per epoch), datasets
${spec.datasets.map((d) => `\`${d.name}\` (exported from ${d.root})`).join(', ')}${spec.step === 1 ? `, step-1 loss over the ${spec.step1Loss === 'local' ? "rank's own pairs (local)" : 'gathered global batch'}` : ''}.

## Run

Needs Python with torch >= 1.13 and numpy (and lmdb for LMDB features); nothing else from the app.

    ./launch.sh --nproc 4 --root ${spec.datasets[0]?.name ?? 'NAME'}=/where/the/features/are   # one machine, 4 processes
    sbatch ${jobFiles.slurm}                                          # SLURM (edit it first)

Each process takes its share of every global batch, the same batches the app draws with this seed. Run the same
command again after a crash or kill: it resumes from the latest checkpoint.

## Files

- \`${jobFiles.spec}\`: the resolved config and everything else the job needs to know (format version ${spec.version})
- \`${jobFiles.plan}\`: the clips the sampler draws from; feature paths relative to each dataset's root
- \`${jobFiles.init}\`: the encoder's starting weights
- \`${jobFiles.python}/evgap_torch/\`: the PyTorch package (model, losses, sampler, feature readers, training loop)
- \`${jobFiles.output}/\`: checkpoints (\`ckpt-<step>.safetensors\`, optimizer state, sidecar), \`metrics.jsonl\`, \`run.json\`

## Back in EVGAP Studio

Copy the folder back (at least job.json, ${jobFiles.plan} and ${jobFiles.output}/), then:

    evgap import run <this folder>

The run appears in the catalog with its curves and checkpoints, usable by \`evgap retrieval --run\`,
\`evgap export embeddings\`, \`--init\` of a step-2 run and \`evgap pipeline --step1-run R --step2-run R\`.
`;
}

/** A word for a shell command line, single-quoted when it holds anything but safe characters. */
export function shellQuote(word: string): string {
  return /^[\w@%+=:,./-]+$/.test(word) ? word : `'${word.replaceAll("'", "'\\''")}'`;
}
