#include "progress.hpp"

#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <cstdio>

namespace spiketail {
namespace {

constexpr double k_quiet_seconds = 1.0;       // nothing is shown for work shorter than this
constexpr double k_tty_interval = 0.1;        // redraw rate on a terminal
constexpr double k_log_interval = 5.0;        // one line this often into a file or pipe
constexpr int k_bar_width = 24;

}  // namespace

std::string format_duration(double seconds) {
    if (!std::isfinite(seconds) || seconds < 0) return "?";
    const long total = std::lround(seconds);
    char buffer[32];
    if (total >= 3600)
        std::snprintf(buffer, sizeof buffer, "%ld:%02ld:%02ld", total / 3600, total / 60 % 60, total % 60);
    else
        std::snprintf(buffer, sizeof buffer, "%ld:%02ld", total / 60, total % 60);
    return buffer;
}

Progress::Progress(bool enabled)
    : m_enabled(enabled), m_tty(isatty(fileno(stderr)) != 0), m_start(Clock::now()), m_last_draw(m_start) {}

double Progress::elapsed_seconds() const {
    return std::chrono::duration<double>(Clock::now() - m_start).count();
}

void Progress::update(double fraction, const std::string& what) {
    if (!m_enabled) return;
    const auto now = Clock::now();
    const double elapsed = std::chrono::duration<double>(now - m_start).count();
    const double since_draw = std::chrono::duration<double>(now - m_last_draw).count();
    if (elapsed < k_quiet_seconds) return;
    if (m_drawn && since_draw < (m_tty ? k_tty_interval : k_log_interval)) return;

    fraction = std::clamp(fraction, 0.0, 1.0);
    const int filled = static_cast<int>(std::lround(fraction * k_bar_width));
    const std::string bar = std::string(filled, '#') + std::string(k_bar_width - filled, '-');
    const double eta = fraction > 0 ? elapsed * (1 - fraction) / fraction : -1;
    std::string text = "[" + bar + "] " + what + "  elapsed " + format_duration(elapsed) +
                       "  ETA " + (fraction > 0 ? format_duration(eta) : std::string("?"));
    if (m_tty) {
        // Pad over a longer previous line, then return to the line's start.
        const std::size_t width = std::max(text.size(), m_last_text.size());
        std::fprintf(stderr, "\r%-*s", static_cast<int>(width), text.c_str());
    } else {
        std::fprintf(stderr, "%s\n", text.c_str());
    }
    std::fflush(stderr);
    m_last_text = text;
    m_last_draw = now;
    m_drawn = true;
}

void Progress::finish() {
    if (m_enabled && m_drawn && m_tty) std::fprintf(stderr, "\n");
    m_drawn = false;
}

}  // namespace spiketail
