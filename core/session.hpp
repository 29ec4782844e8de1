// One training run that can be stepped, probed and read: config -> data + model -> steps -> probe records.
// No I/O and no global state, so the CLI, the wasm module and the tests drive it the same way.
#pragma once
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "config.hpp"
#include "data.hpp"
#include "figures.hpp"
#include "model.hpp"
#include "optim.hpp"
#include "spectrum.hpp"

namespace spiketail {

enum class RunStatus { ready, finished, diverged };
const char* to_string(RunStatus status);

// The update M_t = W_t - W_{t-1} and how its top-k singular vectors line up with those of W (docs/method.md §6).
struct UpdateAnalysis {
    bool available = false;                  // false at step 0 or when probe_update is off
    std::vector<double> singular_values;     // of M_t, descending
    int k = 0;
    // k x k, row-major, entry (i, j) = <u_i(W), u_j(M)>^2 (resp. v): W at t-1 and W at t.
    std::vector<double> u_overlap_prev, v_overlap_prev, u_overlap_cur, v_overlap_cur;
};

struct ProbeRecord {
    int step = 0;
    double lr = 0;                       // learning rate of the last step taken (the initial one at step 0)
    double train_loss = 0, test_loss = 0, kta = 0;
    double sim_w_beta = 0;               // |<v_1, beta*>|
    SpectralSummary spectrum;
    std::vector<double> v_beta_overlap;  // |<v_i, beta*>| for every right singular vector, descending sigma
    UpdateAnalysis update;
};

// What one tick of the run's schedule did (Session::advance).
struct Advance {
    bool stepped = false;  // an optimiser step was taken
    bool probed = false;   // a new probe record was appended to the history
};

class Session {
public:
    // The config must be valid (see validate()); create() checks it and reports the first error.
    static std::unique_ptr<Session> create(const Config& config, std::string* error);
    explicit Session(const Config& config);

    // Takes up to k optimiser steps, never past num_steps (a k beyond the budget takes the rest; raise it with
    // set_num_steps to go on); stops early on divergence. Returns the steps taken.
    int step(int k = 1);
    // Measures everything of docs/method.md §6 at the current step and appends it to the history.
    // A diverged run is not measured again: its last record (or an empty one) is returned.
    const ProbeRecord& probe();
    // The run's schedule, the only implementation of it (docs/method.md §11): the first tick probes step 0;
    // every later tick takes one step and probes when probe_due(). A diverged run, or a finished one whose
    // step 0 is probed, has nothing left: advance() then does nothing. Front ends that yield between steps
    // (the page's Play) call this; the others call run_to_end.
    Advance advance();
    // True while advance() would do something.
    bool can_advance() const;
    // Ticks until nothing is left, calling on_tick (if given) after each tick; on_tick returns false to stop the
    // run there (the wasm glue does when a JS callback throws).
    void run_to_end(const std::function<bool(const Session&, const Advance&)>& on_tick = nullptr);
    // True when the current step is one the schedule probes (0, multiples of probe_every, num_steps).
    bool probe_due() const;
    // Raise (or lower) the step budget, e.g. to continue a finished run.
    void set_num_steps(int num_steps);

    const Config& config() const { return m_config; }
    int step_count() const { return m_step; }
    RunStatus status() const { return m_status; }
    const std::string& message() const { return m_message; }
    const std::vector<ProbeRecord>& history() const { return m_history; }
    const Teacher& teacher() const { return m_data.teacher; }
    const DataSets& data() const { return m_data; }
    const Student& student() const { return m_student; }
    // W0, drawn again from its stream (not kept: at the study's scale it is 6 MB of a browser tab's heap).
    MatrixF initial_weights() const { return make_student(m_config).W; }
    // ESD of W0 (computed at the first probe).
    const std::vector<double>& initial_eigenvalues() const { return m_initial_eigenvalues; }
    // The range of log10 λ every probe so far has needed (figures.hpp): the ESD figures bin over it, so their
    // axes grow only when an eigenvalue leaves them.
    const EsdRange& esd_range() const { return m_esd_range; }
    // The MP law of W0 (h x d, i.i.d. N(0, 1)): the figures' reference curve and the shape of the bulk's law.
    MpLaw initial_mp_law() const;
    // Widens esd_range() to hold `other` too (e.g. a second run drawn on the same bins); never narrows it.
    void widen_esd_range(const EsdRange& other);
    double current_lr() const;

private:
    void diverge(const std::string& what);
    UpdateAnalysis analyze_update(const RightSvd& svd_w);

    // Top-k singular vectors of W at the last probe, reused as "W at t-1" when the next probe is one step later.
    struct TopVectors {
        int step = -1;
        MatrixD U, V;
    };

    Config m_config;
    DataSets m_data;
    Student m_student;
    MatrixF m_W_prev;  // W_{t-1}, kept only with weight normalisation (else M_t lives in m_grads.dW)
    Optimizer m_optimizer;
    ForwardCache m_cache;
    Gradients m_grads;
    std::vector<double> m_initial_eigenvalues;
    EsdRange m_esd_range;
    std::vector<ProbeRecord> m_history;
    TopVectors m_last_top;
    ProbeRecord m_empty_record;
    bool m_have_update = false;  // m_grads.dW (or W - m_W_prev) holds M_t of the last step
    int m_step = 0;
    double m_last_lr;
    RunStatus m_status = RunStatus::ready;
    std::string m_message;
};

}  // namespace spiketail
