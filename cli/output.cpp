#include "output.hpp"

#include <fcntl.h>
#include <limits.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <cstring>

namespace spiketail {
namespace {

// The temporary being written, for the signal handler: a fixed buffer, since a handler may not allocate.
char g_temporary[PATH_MAX];
volatile std::sig_atomic_t g_have_temporary = 0;
volatile std::sig_atomic_t g_pending_signal = 0;

void remove_temporary_and_reraise(int signal_number) {
    if (g_have_temporary) ::unlink(g_temporary);
    std::signal(signal_number, SIG_DFL);
    std::raise(signal_number);
}

// Deferred: note the signal for the main loop (which saves what is finished, then calls end_with_signal);
// a second signal ends the process at once.
void note_signal(int signal_number) {
    g_pending_signal = signal_number;
    std::signal(signal_number, remove_temporary_and_reraise);
}

OutputResult failure(const std::string& path, const std::string& reason) {
    return {false, "cannot write " + path + ": " + reason};
}

std::string errno_text() { return std::strerror(errno); }

bool write_all(int fd, const std::string& text) {
    std::size_t done = 0;
    while (done < text.size()) {
        const ssize_t n = ::write(fd, text.data() + done, text.size() - done);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) return false;
        done += static_cast<std::size_t>(n);
    }
    return true;
}

std::string directory_of(const std::string& path) {
    const std::size_t slash = path.find_last_of('/');
    if (slash == std::string::npos) return ".";
    return slash == 0 ? "/" : path.substr(0, slash);
}

std::string base_name_of(const std::string& path) {
    const std::size_t slash = path.find_last_of('/');
    return slash == std::string::npos ? path : path.substr(slash + 1);
}

// Follows symlinks by hand (a dangling link names the file to create); *info is the final target's lstat,
// or info->st_mode == 0 when it does not exist yet.
bool resolve_target(const std::string& path, std::string& target, struct stat* info, std::string& error) {
    target = path;
    for (int hops = 0; hops < 40; ++hops) {
        if (::lstat(target.c_str(), info) != 0) {
            if (errno != ENOENT) {
                error = errno_text();
                return false;
            }
            info->st_mode = 0;
            return true;
        }
        if (!S_ISLNK(info->st_mode)) return true;
        char buffer[PATH_MAX];
        const ssize_t n = ::readlink(target.c_str(), buffer, sizeof buffer - 1);
        if (n < 0) {
            error = errno_text();
            return false;
        }
        const std::string link(buffer, static_cast<std::size_t>(n));
        target = link.front() == '/' ? link : directory_of(target) + "/" + link;
    }
    error = "too many levels of symbolic links";
    return false;
}

// Special files are written through: opening them is all a writer may do.
OutputResult write_through(const std::string& shown, const std::string& target, const std::string& text) {
    const int fd = ::open(target.c_str(), O_WRONLY | O_NOCTTY | O_CLOEXEC);
    if (fd < 0) return failure(shown, errno_text());
    const bool written = write_all(fd, text);
    const int saved = errno;
    if (::close(fd) != 0 && written) return failure(shown, errno_text());
    if (!written) return failure(shown, std::strerror(saved));
    return {};
}

// The result keeps an existing file's permissions; a new one gets the usual 0666 less the umask.
mode_t output_mode(const struct stat& existing) {
    if (existing.st_mode != 0) return existing.st_mode & 07777;
    const mode_t mask = ::umask(0);
    ::umask(mask);
    return 0666 & ~mask;
}

// Names the temporary (for the signal handler) and returns its path pattern: "DIR/.NAME.part-PID-XXXXXX".
bool name_temporary(const std::string& target) {
    const std::string temporary = directory_of(target) + "/." + base_name_of(target) + ".part-" +
                                  std::to_string(::getpid()) + "-XXXXXX";
    if (temporary.size() >= sizeof g_temporary) return false;
    std::memcpy(g_temporary, temporary.c_str(), temporary.size() + 1);
    return true;
}

// Renames the named temporary over the target; removes it on failure.
OutputResult commit_temporary(const std::string& shown, const std::string& target) {
    if (::rename(g_temporary, target.c_str()) != 0) {
        const std::string reason = errno_text();
        ::unlink(g_temporary);
        g_have_temporary = 0;
        return failure(shown, reason);
    }
    g_have_temporary = 0;
    return {};
}

// A regular file (or a new one), written where a kill cannot leave a half-written file behind: an unnamed
// file in the target's directory (O_TMPFILE), written and flushed to disk, then given a unique temporary name
// and renamed over the target (the name exists for two system calls). Without O_TMPFILE (an old kernel or a
// filesystem without it) a named mkstemp temporary is written instead and removed on SIGINT/SIGTERM/SIGHUP.
OutputResult write_atomically(const std::string& shown, const std::string& target, const struct stat& existing,
                              const std::string& text) {
    if (!name_temporary(target)) return failure(shown, "the path is too long");
    const mode_t mode = output_mode(existing);
    int fd = ::open(directory_of(target).c_str(), O_TMPFILE | O_WRONLY | O_CLOEXEC, mode);
    const bool unnamed = fd >= 0;
    if (!unnamed) {
        fd = ::mkstemp(g_temporary);
        if (fd < 0) return failure(shown, errno_text());
        g_have_temporary = 1;
    }
    auto give_up = [&](const std::string& reason) {
        ::close(fd);
        if (!unnamed) ::unlink(g_temporary);
        g_have_temporary = 0;
        return failure(shown, reason);
    };
    if (::fchmod(fd, mode) != 0) return give_up(errno_text());
    if (!write_all(fd, text) || ::fsync(fd) != 0) return give_up(errno_text());
    if (unnamed) {
        // linkat needs a name that does not exist: mkstemp's pattern, filled in by hand.
        const std::string proc = "/proc/self/fd/" + std::to_string(fd);
        const std::size_t x = std::strlen(g_temporary) - 6;
        static unsigned sequence = 0;  // the pid in the name keeps processes apart, this the writes of one
        bool linked = false;
        for (unsigned attempt = 0; attempt < 100 && !linked; ++attempt) {
            std::snprintf(g_temporary + x, 7, "%06u", sequence++ % 1000000u);
            g_have_temporary = 1;
            linked = ::linkat(AT_FDCWD, proc.c_str(), AT_FDCWD, g_temporary, AT_SYMLINK_FOLLOW) == 0;
            if (!linked && errno != EEXIST) {
                g_have_temporary = 0;
                return give_up(errno_text());
            }
        }
        if (!linked) return give_up("no free temporary name");
    }
    if (::close(fd) != 0) {
        const std::string reason = errno_text();
        ::unlink(g_temporary);
        g_have_temporary = 0;
        return failure(shown, reason);
    }
    return commit_temporary(shown, target);
}

OutputResult write_stdout(const std::string& text) {
    std::signal(SIGPIPE, SIG_IGN);  // a closed pipe is a write error (exit 1), not a kill by SIGPIPE
    std::fflush(stdout);
    if (!write_all(STDOUT_FILENO, text)) return failure("stdout", errno_text());
    return {};
}

}  // namespace

OutputResult check_output_target(const std::string& out_path, const std::vector<std::string>& inputs) {
    if (out_path.empty() || out_path == "-") return {};
    struct stat out_info;
    if (::stat(out_path.c_str(), &out_info) != 0) return {};  // a new file cannot be an input
    for (const std::string& input : inputs) {
        struct stat in_info;
        if (input.empty() || input == "-" || ::stat(input.c_str(), &in_info) != 0) continue;
        if (S_ISREG(out_info.st_mode) && in_info.st_dev == out_info.st_dev && in_info.st_ino == out_info.st_ino)
            return {false, "--out " + out_path + " is the input " + input + ": writing there would replace it; "
                           "choose another FILE"};
    }
    return {};
}

OutputResult write_output_file(const std::string& out_path, const std::string& text) {
    if (out_path.empty() || out_path == "-") return write_stdout(text);
    std::string target, error;
    struct stat info;
    if (!resolve_target(out_path, target, &info, error)) return failure(out_path, error);
    if (info.st_mode == 0 || S_ISREG(info.st_mode)) return write_atomically(out_path, target, info, text);
    if (S_ISCHR(info.st_mode) || S_ISFIFO(info.st_mode)) return write_through(out_path, target, text);
    if (S_ISDIR(info.st_mode)) return failure(out_path, "it is a directory");
    if (S_ISBLK(info.st_mode)) return failure(out_path, "it is a block device (a disk); refusing to write there");
    return failure(out_path, "it is not a file, device or FIFO that can be written");
}

int pending_signal() { return g_pending_signal; }

void end_with_signal(int signal_number) {
    remove_temporary_and_reraise(signal_number);
    std::_Exit(128 + signal_number);  // only if the signal did not end the process
}

void install_output_signal_cleanup(bool defer) {
    for (const int signal_number : {SIGINT, SIGTERM, SIGHUP}) {
        struct sigaction action {};
        action.sa_handler = defer ? note_signal : remove_temporary_and_reraise;
        sigemptyset(&action.sa_mask);
        ::sigaction(signal_number, &action, nullptr);
    }
}

}  // namespace spiketail
