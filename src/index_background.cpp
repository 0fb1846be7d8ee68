// BackgroundSync: the index module's sync, run in a thread of its own (see index.h).
#include "baton/catalog.h"
#include "baton/index.h"

namespace baton {

BackgroundSync::BackgroundSync(std::filesystem::path data_dir, std::vector<std::filesystem::path> roots,
                               SyncOptions options, std::chrono::seconds interval, Done done)
    : data_dir_(std::move(data_dir)),
      roots_(std::move(roots)),
      options_(std::move(options)),
      interval_(interval),
      done_(std::move(done)),
      thread_([this] { run(); }) {}

BackgroundSync::~BackgroundSync() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_all();
  thread_.join();
}

bool BackgroundSync::request() {
  {
    std::lock_guard lock(mutex_);
    if (state_.running || asked_ || stopping_) return false;
    asked_ = true;
  }
  wake_.notify_all();
  return true;
}

BackgroundSync::State BackgroundSync::state() const {
  std::lock_guard lock(mutex_);
  State out = state_;
  out.running = state_.running || asked_;  // asked: about to start
  return out;
}

void BackgroundSync::run() {
  std::unique_lock lock(mutex_);
  for (;;) {
    const auto woken = [this] { return stopping_ || asked_; };
    if (interval_.count() > 0) wake_.wait_for(lock, interval_, woken);
    else wake_.wait(lock, woken);
    if (stopping_) return;
    asked_ = false;
    state_.running = true;
    state_.started_at = now_iso();
    lock.unlock();
    // A sync that fails (a root unplugged, another indexer holding the lock) is reported and tried again
    // at the next interval or request.
    auto summary = sync(data_dir_, roots_, options_);
    if (done_) done_(summary);
    lock.lock();
    state_.running = false;
    state_.finished_at = now_iso();
    ++state_.runs;
    if (summary) {
      state_.last = std::move(*summary);
      state_.error.clear();
    } else {
      state_.error = summary.error().message;
    }
  }
}

}  // namespace baton
