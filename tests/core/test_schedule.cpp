// The run's schedule (Session::advance, docs/method.md §11), the one loop every front end calls: what each tick
// does, that ticking by hand equals run_to_end, and the edge cases (no steps, divergence, continuing a run).
#include <catch2/catch.hpp>
#include <vector>

#include "helpers.hpp"
#include "session.hpp"

using namespace spiketail;
using namespace spiketail::test;

namespace {

std::vector<int> probed_steps(const Session& s) {
    std::vector<int> steps;
    for (const ProbeRecord& r : s.history()) steps.push_back(r.step);
    return steps;
}

}  // namespace

TEST_CASE("schedule: the first tick probes step 0, each later tick steps once and probes when due", "[schedule]") {
    Config c = small_config(30, 10, 12);
    c.num_steps = 7;
    c.probe_every = 3;
    Session s(c);
    std::vector<std::pair<bool, bool>> ticks;  // (stepped, probed)
    while (s.can_advance()) {
        const Advance t = s.advance();
        ticks.emplace_back(t.stepped, t.probed);
    }
    const std::vector<std::pair<bool, bool>> expected = {
        {false, true},                                  // step 0
        {true, false}, {true, false}, {true, true},     // 1, 2, 3
        {true, false}, {true, false}, {true, true},     // 4, 5, 6
        {true, true}};                                  // 7: the last step
    CHECK(ticks == expected);
    CHECK(probed_steps(s) == std::vector<int>{0, 3, 6, 7});
    CHECK(s.status() == RunStatus::finished);
    // Nothing is left: a tick does nothing.
    const Advance idle = s.advance();
    CHECK_FALSE(idle.stepped);
    CHECK_FALSE(idle.probed);
}

TEST_CASE("schedule: ticking by hand and run_to_end give the same run, bit for bit", "[schedule][determinism]") {
    Config c = small_config(30, 10, 12);
    c.num_steps = 4;
    c.probe_every = 2;
    Session by_hand(c), whole(c);
    while (by_hand.can_advance()) by_hand.advance();
    int ticks = 0;
    whole.run_to_end([&](const Session&, const Advance&) {
        ++ticks;
        return true;
    });
    CHECK(ticks == c.num_steps + 1);
    CHECK(fnv1a(by_hand.student().W) == fnv1a(whole.student().W));
    CHECK(probed_steps(by_hand) == probed_steps(whole));
    CHECK(by_hand.history().back().spectrum.hill.alpha == whole.history().back().spectrum.hill.alpha);
}

TEST_CASE("schedule: a run of 0 steps is one probe; a continued run goes on from where it stopped", "[schedule]") {
    Config c = small_config(30, 10, 12);
    c.num_steps = 0;
    Session s(c);
    CHECK(s.status() == RunStatus::finished);
    CHECK(s.can_advance());
    s.run_to_end();
    CHECK(probed_steps(s) == std::vector<int>{0});
    CHECK_FALSE(s.can_advance());
    s.set_num_steps(2);
    s.run_to_end();
    CHECK(probed_steps(s) == std::vector<int>{0, 1, 2});
}

TEST_CASE("schedule: a diverging run stops ticking, and the failed step is not probed", "[schedule][divergence]") {
    Config c = small_config(30, 10, 12);
    c.optimizer = OptimizerKind::gd;
    c.activation = Activation::tanh;
    c.lr = 3e38;  // float's largest: the first update overflows
    c.num_steps = 5;
    Session s(c);
    s.run_to_end();
    CHECK(s.status() == RunStatus::diverged);
    CHECK(probed_steps(s) == std::vector<int>{0});
    CHECK_FALSE(s.can_advance());
}

TEST_CASE("schedule: step(k) never goes past num_steps; a k beyond the budget takes the rest", "[schedule]") {
    Config c = small_config(30, 10, 12);
    c.num_steps = 5;
    Session s(c);
    CHECK(s.step(2) == 2);
    CHECK(s.step(20) == 3);  // the rest of the budget, not 20
    CHECK(s.step_count() == 5);
    CHECK(s.status() == RunStatus::finished);
    CHECK(s.step(1) == 0);  // a finished run takes none
    CHECK(s.step(2147483647) == 0);
    CHECK(s.step(0) == 0);
    CHECK(s.step(-1) == 0);
    CHECK(s.step_count() == 5);
    // A raised budget is the way on (the page's Step past the end raises it by one first).
    s.set_num_steps(s.step_count() + 1);
    CHECK(s.step(2147483647) == 1);
    CHECK(s.step_count() == 6);
    CHECK(s.status() == RunStatus::finished);
}

TEST_CASE("schedule: an observer that returns false stops the run after that tick", "[schedule]") {
    Config c = small_config(30, 10, 12);
    c.num_steps = 6;
    Session s(c);
    s.run_to_end([](const Session& session, const Advance&) { return session.step_count() < 2; });
    CHECK(s.step_count() == 2);
    CHECK(s.status() == RunStatus::ready);
    s.run_to_end();  // and goes on from there
    CHECK(s.step_count() == 6);
}
