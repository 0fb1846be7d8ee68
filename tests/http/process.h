// Runs the real `baton` binary for the HTTP and CLI tests: as a server on a free port, or as a command.
#pragma once

#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <httplib.h>

#include <chrono>
#include <cstdlib>
#include <optional>
#include <regex>
#include <stdexcept>
#include <string>
#include <thread>
#include <utility>
#include <vector>

extern char** environ;

namespace baton::test {

/// The binary under test, from the BATON_BIN environment variable that ctest sets.
inline std::string baton_bin() {
  const char* bin = std::getenv("BATON_BIN");
  if (!bin) throw std::runtime_error("BATON_BIN is not set: run this test through ctest");
  return bin;
}

/// The demo knowledge base, from BATON_DEMO.
inline std::string demo_root() {
  const char* demo = std::getenv("BATON_DEMO");
  if (!demo) throw std::runtime_error("BATON_DEMO is not set: run this test through ctest");
  return demo;
}

/// Environment variables set for one child only (the test's own environment stays as it is).
using Env = std::vector<std::pair<std::string, std::string>>;

/// A child process whose stdout and stderr are read through one pipe.
class Process {
 public:
  explicit Process(const std::vector<std::string>& args, const Env& env = {}) {
    // Built before fork: the child only calls async-signal-safe functions.
    std::vector<std::string> vars;
    for (char** e = environ; *e; ++e) {
      const std::string var = *e;
      bool replaced = false;
      for (const auto& [name, value] : env) replaced |= var.starts_with(name + "=");
      if (!replaced) vars.push_back(var);
    }
    for (const auto& [name, value] : env) vars.push_back(name + "=" + value);
    std::vector<char*> envp;
    for (auto& v : vars) envp.push_back(v.data());
    envp.push_back(nullptr);
    std::vector<char*> argv;
    for (const auto& a : args) argv.push_back(const_cast<char*>(a.c_str()));
    argv.push_back(nullptr);
    int fds[2];
    if (::pipe(fds) != 0) throw std::runtime_error("pipe failed");
    pid_ = ::fork();
    if (pid_ < 0) throw std::runtime_error("fork failed");
    if (pid_ == 0) {
      ::dup2(fds[1], STDOUT_FILENO);
      ::dup2(fds[1], STDERR_FILENO);
      ::close(fds[0]);
      ::close(fds[1]);
      ::execve(argv[0], argv.data(), envp.data());
      ::_exit(127);
    }
    ::close(fds[1]);
    fd_ = fds[0];
  }
  ~Process() {
    if (pid_ > 0) {
      ::kill(pid_, SIGKILL);
      ::waitpid(pid_, nullptr, 0);
    }
    if (fd_ >= 0) ::close(fd_);
  }
  Process(const Process&) = delete;
  Process& operator=(const Process&) = delete;

  /// Reads output until `needle` appears (returns true) or the process closes its output / time runs out.
  bool read_until(const std::string& needle, std::chrono::seconds timeout) {
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    ::fcntl(fd_, F_SETFL, ::fcntl(fd_, F_GETFL) | O_NONBLOCK);
    while (output_.find(needle) == std::string::npos) {
      if (std::chrono::steady_clock::now() > deadline) return false;
      char buf[4096];
      const ssize_t n = ::read(fd_, buf, sizeof buf);
      if (n > 0) output_.append(buf, static_cast<std::size_t>(n));
      else if (n == 0) return output_.find(needle) != std::string::npos;
      else std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    return true;
  }

  /// Waits for the process to end, collecting all output; returns its exit status (128+signal if
  /// killed). A process still running after `timeout` is killed: a hung command fails its test.
  int wait(std::chrono::seconds timeout = std::chrono::seconds(120)) {
    ::fcntl(fd_, F_SETFL, ::fcntl(fd_, F_GETFL) | O_NONBLOCK);
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    int status = 0;
    for (;;) {
      char buf[4096];
      const ssize_t n = ::read(fd_, buf, sizeof buf);
      if (n > 0) {
        output_.append(buf, static_cast<std::size_t>(n));
        continue;
      }
      if (::waitpid(pid_, &status, WNOHANG) == pid_) break;
      if (std::chrono::steady_clock::now() > deadline) {
        ::kill(pid_, SIGKILL);
        ::waitpid(pid_, &status, 0);
        output_ += "\n[killed by the test: still running after the timeout]";
        break;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    for (ssize_t n; (n = ::read(fd_, buf_, sizeof buf_)) > 0;) output_.append(buf_, static_cast<std::size_t>(n));
    pid_ = -1;
    return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  }

  void signal(int sig) { ::kill(pid_, sig); }
  const std::string& output() const { return output_; }

 private:
  pid_t pid_ = -1;
  int fd_ = -1;
  char buf_[4096];
  std::string output_;
};

/// Runs `baton ARGS...` to completion.
struct RunResult {
  int status;
  std::string output;
};
inline RunResult run_baton(std::vector<std::string> args) {
  args.insert(args.begin(), baton_bin());
  Process p(args);
  const int status = p.wait();
  return {status, p.output()};
}

/// `baton serve` on a free loopback port, started with `args` after "serve --port 0" and with `env`;
/// ready when constructed. Errors (std::runtime_error, with its output): it did not start.
class Served {
 public:
  explicit Served(std::vector<std::string> args, const Env& env = {}) {
    args.insert(args.begin(), {baton_bin(), "serve", "--port", "0"});
    process_.emplace(args, env);
    // Generous: it indexes its ROOTs first, under the sanitizers, on a machine that may be busy.
    if (!process_->read_until("/  (", std::chrono::seconds(300)))
      throw std::runtime_error("baton serve did not start:\n" + process_->output());
    std::smatch m;
    const std::string out = process_->output();
    if (!std::regex_search(out, m, std::regex("serving http://127\\.0\\.0\\.1:([0-9]+)/")))
      throw std::runtime_error("no URL in baton serve output:\n" + out);
    port_ = std::stoi(m[1].str());
  }
  int port() const { return port_; }
  httplib::Client client() const {
    httplib::Client c("127.0.0.1", port_);
    c.set_read_timeout(30, 0);
    return c;
  }
  Process& process() { return *process_; }

 private:
  std::optional<Process> process_;
  int port_ = 0;
};

}  // namespace baton::test
