// A small persistent thread pool for the SGEMM: the calling thread and `threads − 1` parked workers take numbered
// tasks from one shared counter until none are left; the call returns when every task is done. Workers sleep on a
// condition variable between calls, so an idle addon costs no CPU. Calls from several threads (Node workers) are
// serialized, unless a thread keeps its calls to itself (keepOnCallingThread): the pipeline's head workers, each
// training one head at once with the others, run their kernels alone rather than wait for the shared workers.
#pragma once

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

namespace evgap {

class ThreadPool {
 public:
  /** `threads` counts the caller: 1 means no workers, everything runs on the calling thread. */
  explicit ThreadPool(int threads);
  ThreadPool(const ThreadPool&) = delete;
  ThreadPool& operator=(const ThreadPool&) = delete;
  ~ThreadPool();

  int threads() const { return static_cast<int>(workers_.size()) + 1; }

  /** Runs task(0) … task(count − 1), spread over the pool; `parallel` false runs them all on the caller. */
  void run(std::int64_t count, const std::function<void(std::int64_t)>& task, bool parallel);

  /** From now on, run() called on this thread runs every task on it (as `parallel` false), or spreads them again.
   *  Which thread runs a task never changes its result: each task computes its own outputs in a fixed order. */
  static void keepOnCallingThread(bool on);

 private:
  void workerLoop();
  void drain();

  std::vector<std::thread> workers_;
  std::mutex callMutex_;  // one run() at a time
  std::mutex stateMutex_;
  std::condition_variable wake_;
  std::condition_variable finished_;
  const std::function<void(std::int64_t)>* task_ = nullptr;
  std::int64_t count_ = 0;
  std::atomic<std::int64_t> next_{0};
  std::uint64_t generation_ = 0;
  int busyWorkers_ = 0;
  bool stopping_ = false;
};

}  // namespace evgap
