// A progress line on stderr for anything that takes longer than a second: bar, count, elapsed, ETA.
// On a terminal it redraws in place; into a file or pipe it writes a plain line every few seconds.
#pragma once
#include <chrono>
#include <string>

namespace spiketail {

class Progress {
public:
    explicit Progress(bool enabled);
    // fraction of the work done in [0, 1]; what: "step 4/10", "run 12/90".
    void update(double fraction, const std::string& what);
    // Ends the line if one was drawn.
    void finish();
    double elapsed_seconds() const;

private:
    using Clock = std::chrono::steady_clock;
    bool m_enabled;
    bool m_tty;
    bool m_drawn = false;
    Clock::time_point m_start, m_last_draw;
    std::string m_last_text;
};

// "0:07", "3:25", "1:02:10"
std::string format_duration(double seconds);

}  // namespace spiketail
