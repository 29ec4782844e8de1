// Writing a result document to --out or stdout without ever destroying what is at the target.
//
// What --out names decides how it is written:
//   "-" or empty       stdout; a failed write (full disk, closed pipe) is an error, never a silent exit 0
//   a regular file,    an unnamed file beside it (O_TMPFILE; else a temporary unique to this process),
//   or a new name      flushed to disk, then renamed over the target: a reader sees the old or the new
//                      document, never half of one, and a kill, even SIGKILL, leaves no temporary behind
//   a symlink          resolved: the link stays, what it points to is written by the rules here
//   a character        opened and written through (/dev/null, /dev/stdout, a FIFO): never replaced —
//   device, FIFO,      replacing /dev/null with a regular file, as a rename would as root, damages the
//   socket             machine
//   a directory        refused
// A SIGINT, SIGTERM or SIGHUP during the write removes the temporary and leaves the target as it was.
// A sweep defers the signal instead: it saves the runs finished so far, then ends with the signal.
#pragma once
#include <string>
#include <vector>

namespace spiketail {

struct OutputResult {
    bool ok = true;
    std::string error;  // "cannot write FILE: reason"
};

// Refuses (with a message) an --out that is one of the inputs: writing it would replace the user's config.
OutputResult check_output_target(const std::string& out_path, const std::vector<std::string>& inputs);

// Writes text to out_path ("" or "-" is stdout) by the rules above.
OutputResult write_output_file(const std::string& out_path, const std::string& text);

// On SIGINT/SIGTERM/SIGHUP: removes this process's temporary, then lets the signal end the process as usual;
// with defer, only notes the signal (pending_signal) for a main loop that saves its work and then calls
// end_with_signal (a second signal ends the process at once).
void install_output_signal_cleanup(bool defer = false);
int pending_signal();
[[noreturn]] void end_with_signal(int signal_number);

}  // namespace spiketail
