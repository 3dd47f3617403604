// ThreadPool: see threadPool.h.
#include "threadPool.h"

namespace evgap {

namespace {
thread_local bool callerOnly = false;
}  // namespace

void ThreadPool::keepOnCallingThread(bool on) { callerOnly = on; }

ThreadPool::ThreadPool(int threads) {
  for (int i = 1; i < threads; ++i) workers_.emplace_back([this] { workerLoop(); });
}

ThreadPool::~ThreadPool() {
  {
    std::lock_guard<std::mutex> lock(stateMutex_);
    stopping_ = true;
  }
  wake_.notify_all();
  for (std::thread& worker : workers_) worker.join();
}

void ThreadPool::drain() {
  for (std::int64_t index = next_.fetch_add(1); index < count_; index = next_.fetch_add(1)) (*task_)(index);
}

void ThreadPool::run(std::int64_t count, const std::function<void(std::int64_t)>& task, bool parallel) {
  if (count <= 0) return;
  if (!parallel || callerOnly || workers_.empty() || count == 1) {
    for (std::int64_t index = 0; index < count; ++index) task(index);
    return;
  }
  std::lock_guard<std::mutex> call(callMutex_);
  {
    std::lock_guard<std::mutex> lock(stateMutex_);
    task_ = &task;
    count_ = count;
    next_.store(0);
    busyWorkers_ = static_cast<int>(workers_.size());
    ++generation_;
  }
  wake_.notify_all();
  drain();
  std::unique_lock<std::mutex> lock(stateMutex_);
  finished_.wait(lock, [this] { return busyWorkers_ == 0; });
  task_ = nullptr;
}

void ThreadPool::workerLoop() {
  std::uint64_t seen = 0;
  for (;;) {
    {
      std::unique_lock<std::mutex> lock(stateMutex_);
      wake_.wait(lock, [&] { return stopping_ || generation_ != seen; });
      if (stopping_) return;
      seen = generation_;
    }
    drain();
    std::lock_guard<std::mutex> lock(stateMutex_);
    if (--busyWorkers_ == 0) finished_.notify_one();
  }
}

}  // namespace evgap
