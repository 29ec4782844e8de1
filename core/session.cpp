#include "session.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>

#include "elementwise.hpp"
#include "figures.hpp"
#include "metrics.hpp"
#include "ridge.hpp"

namespace spiketail {

const char* to_string(RunStatus status) {
    switch (status) {
        case RunStatus::ready: return "ready";
        case RunStatus::finished: return "finished";
        case RunStatus::diverged: return "diverged";
    }
    return "unknown";
}

std::unique_ptr<Session> Session::create(const Config& config, std::string* error) {
    const std::vector<FieldError> errors = validate(config);
    if (!errors.empty()) {
        if (error) *error = errors.front().field + ": " + errors.front().message;
        return nullptr;
    }
    return std::make_unique<Session>(config);
}

Session::Session(const Config& config)
    : m_config(config),
      m_data(make_data(config)),
      m_student(make_student(config)),
      m_optimizer(config, config.h, config.d),
      m_last_lr(config.lr) {
    m_status = m_config.num_steps > 0 ? RunStatus::ready : RunStatus::finished;
}

double Session::current_lr() const { return scheduled_lr(m_config, m_step); }

void Session::set_num_steps(int num_steps) {
    m_config.num_steps = num_steps;
    if (m_status != RunStatus::diverged) m_status = m_step < num_steps ? RunStatus::ready : RunStatus::finished;
}

void Session::diverge(const std::string& what) {
    m_status = RunStatus::diverged;
    char lr[32];
    std::snprintf(lr, sizeof lr, "%g", m_last_lr);
    m_message = "diverged at step " + std::to_string(m_step) + ": " + what + " (lr " + lr + ")";
}

int Session::step(int k) {
    k = std::min(k, std::max(0, m_config.num_steps - m_step));  // the budget's rest at most
    int taken = 0;
    for (; taken < k && m_status != RunStatus::diverged; ++taken) {
        const double lr = scheduled_lr(m_config, m_step);
        // M_t = W_t - W_{t-1} for the update analysis: the optimiser writes it over the spent gradient, so no
        // copy of W_{t-1} is kept; weight normalisation changes W before the optimiser sees it, so then W_{t-1}
        // itself is copied.
        const bool copy_prev = m_config.probe_update && m_config.enable_weight_normalization;
        if (copy_prev) m_W_prev = m_student.W;
        m_have_update = false;
        if (m_config.enable_weight_normalization) normalize_weights(m_student.W);
        const double loss = student_forward(m_student, m_data.train.X, m_data.train.y, m_cache);
        if (!std::isfinite(loss)) {
            diverge("the training loss is not finite");
            break;
        }
        student_backward(m_student, m_data.train.X, m_data.train.y, m_cache, !m_config.fix_last_layer, m_grads);
        MatrixF* update = m_config.probe_update && !copy_prev ? &m_grads.dW : nullptr;
        if (m_config.fix_last_layer)
            m_optimizer.step(m_student.W, m_grads.dW, nullptr, nullptr, lr, update);
        else
            m_optimizer.step(m_student.W, m_grads.dW, &m_student.a, &m_grads.da, lr, update);
        m_have_update = m_config.probe_update;
        ++m_step;
        m_last_lr = lr;
        if (!all_finite(m_student.W) || !all_finite(m_student.a.data(), m_student.a.size())) {
            diverge("the weights became non-finite");
            ++taken;
            break;
        }
    }
    if (m_status != RunStatus::diverged)
        m_status = m_step < m_config.num_steps ? RunStatus::ready : RunStatus::finished;
    return taken;
}

MpLaw Session::initial_mp_law() const {
    MpLaw mp;
    mp.rows = m_config.h;
    mp.cols = m_config.d;
    mp.variance = 1.0;
    return mp;
}

void Session::widen_esd_range(const EsdRange& other) {
    if (other.empty()) return;
    if (m_esd_range.empty()) {
        m_esd_range = other;
        return;
    }
    m_esd_range.log_lo = std::min(m_esd_range.log_lo, other.log_lo);
    m_esd_range.log_hi = std::max(m_esd_range.log_hi, other.log_hi);
}

bool Session::probe_due() const {
    return m_step == 0 || m_step % m_config.probe_every == 0 || m_step == m_config.num_steps;
}

const ProbeRecord& Session::probe() {
    if (m_status == RunStatus::diverged) {
        if (!m_history.empty()) return m_history.back();
        m_empty_record.step = m_step;
        m_empty_record.lr = m_last_lr;
        return m_empty_record;
    }
    const Config& c = m_config;
    ProbeRecord r;
    r.step = m_step;
    r.lr = m_last_lr;

    // Ridge refit of the last layer on the probe set; losses on probe and test sets; KTA (docs/method.md §5-6).
    const double scale = c.probe_feature_scale == FeatureScale::sqrt_d ? std::sqrt(static_cast<double>(c.d))
                                                                        : static_cast<double>(c.d);
    RidgeFit fit;
    {  // F (n x h) is freed before the spectrum is measured
        const MatrixF F = student_features(m_student, m_data.probe.X, scale);
        fit = ridge_refit(F, m_data.probe.y, c.reg_lambda);
        r.train_loss = ridge_loss(F, m_data.probe.y, fit.a);
    }
    r.test_loss = ridge_loss(student_features(m_student, m_data.test.X, scale), m_data.test.y, fit.a);
    r.kta = kernel_target_alignment(fit.fty_norm2, fit.gram_frobenius, fit.yy);

    // Spectrum of W; spikes counted against the MP law of its bulk now: W0's shape h x d, the variance fitted to
    // the current eigenvalues (fit_bulk), as the figures draw it.
    const RightSvd svd = top_right_svd(m_student.W, c.top_k, &m_data.teacher.beta);
    std::vector<double> eigenvalues(svd.s2.data(), svd.s2.data() + svd.s2.size());
    const MpLaw bulk = fit_bulk(eigenvalues, initial_mp_law());
    m_esd_range = grow_esd_range(m_esd_range, eigenvalues);
    r.spectrum = summarize_eigenvalues(std::move(eigenvalues), bulk);
    r.v_beta_overlap.resize(svd.projection.size());
    for (Eigen::Index i = 0; i < svd.projection.size(); ++i) r.v_beta_overlap[i] = std::abs(svd.projection[i]);
    r.sim_w_beta = r.v_beta_overlap.empty() ? 0.0 : r.v_beta_overlap.front();

    // Finite weights can still be large enough to overflow the probe's float products (features, Gram matrices):
    // that run has diverged too, and its NaN losses or failed spectrum must not be recorded as measurements.
    if (!fit.ok || !std::isfinite(r.train_loss) || !std::isfinite(r.test_loss) || !std::isfinite(r.kta) ||
        r.spectrum.eigenvalues.size() != static_cast<std::size_t>(std::min(c.h, c.d)) ||
        !std::isfinite(r.spectrum.frobenius_norm)) {
        diverge(fit.ok ? "the probe's losses or spectrum are not finite" : "the ridge refit's Cholesky factorisation failed");
        return probe();  // the diverged path: the last record kept
    }

    if (m_initial_eigenvalues.empty())
        m_initial_eigenvalues = m_step == 0 ? r.spectrum.eigenvalues : esd_eigenvalues(initial_weights());
    r.update = analyze_update(svd);

    m_history.push_back(std::move(r));
    return m_history.back();
}

UpdateAnalysis Session::analyze_update(const RightSvd& svd_w) {
    const int k = m_config.top_k;
    UpdateAnalysis u;
    if (!m_config.probe_update) return u;
    const MatrixD U_cur = left_singular_vectors(m_student.W, svd_w, k);
    const MatrixD V_cur = svd_w.V.leftCols(std::min<Eigen::Index>(k, svd_w.V.cols()));
    if (m_have_update && m_step > 0) {
        const bool copied = m_config.enable_weight_normalization;
        const MatrixF M_copy = copied ? MatrixF(m_student.W - m_W_prev) : MatrixF();
        const MatrixF& M = copied ? M_copy : m_grads.dW;
        const RightSvd svd_m = top_right_svd(M, k);
        u.available = true;
        u.singular_values.resize(svd_m.s2.size());
        for (Eigen::Index i = 0; i < svd_m.s2.size(); ++i) u.singular_values[i] = std::sqrt(std::max(svd_m.s2[i], 0.0));
        const MatrixD U_m = left_singular_vectors(M, svd_m, k);
        const MatrixD V_m = svd_m.V.leftCols(U_m.cols());
        u.k = static_cast<int>(U_m.cols());
        MatrixD U_prev, V_prev;
        if (m_last_top.step == m_step - 1) {
            U_prev = m_last_top.U;
            V_prev = m_last_top.V;
        } else {
            const MatrixF W_prev = copied ? m_W_prev : MatrixF(m_student.W - M);
            const RightSvd svd_prev = top_right_svd(W_prev, k);
            U_prev = left_singular_vectors(W_prev, svd_prev, k);
            V_prev = svd_prev.V.leftCols(U_prev.cols());
        }
        u.u_overlap_prev = squared_overlaps(U_prev, U_m, k);
        u.v_overlap_prev = squared_overlaps(V_prev, V_m, k);
        u.u_overlap_cur = squared_overlaps(U_cur, U_m, k);
        u.v_overlap_cur = squared_overlaps(V_cur, V_m, k);
    }
    m_last_top.step = m_step;
    m_last_top.U = U_cur;
    m_last_top.V = V_cur;
    return u;
}

bool Session::can_advance() const {
    if (m_status == RunStatus::diverged) return false;
    return m_status == RunStatus::ready || (m_step == 0 && m_history.empty());
}

Advance Session::advance() {
    Advance tick;
    if (!can_advance()) return tick;
    if (m_step == 0 && m_history.empty()) {
        probe();
        tick.probed = m_status != RunStatus::diverged;
        return tick;
    }
    tick.stepped = step(1) == 1;
    if (m_status != RunStatus::diverged && probe_due()) {
        probe();
        tick.probed = m_status != RunStatus::diverged;
    }
    return tick;
}

void Session::run_to_end(const std::function<bool(const Session&, const Advance&)>& on_tick) {
    while (can_advance()) {
        const Advance tick = advance();
        if (on_tick && !on_tick(*this, tick)) return;
    }
}

}  // namespace spiketail
