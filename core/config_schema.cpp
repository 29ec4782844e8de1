#include "config_schema.hpp"

#include <algorithm>
#include <cfloat>
#include <sstream>

namespace spiketail {
namespace {

std::string number_text(double value) {
    std::ostringstream out;
    out.precision(6);
    out << value;
    return out.str();
}

FieldSpec integer(const char* key, double lower, double (*value)(const Config&), const char* meaning) {
    FieldSpec f;
    f.key = key;
    f.type = FieldType::integer;
    f.lower = lower;
    f.value = value;
    f.meaning = meaning;
    return f;
}

FieldSpec number(const char* key, double lower, bool lower_open, double upper, bool upper_open,
                 double (*value)(const Config&), const char* meaning) {
    FieldSpec f;
    f.key = key;
    f.type = FieldType::number;
    f.lower = lower;
    f.lower_open = lower_open;
    f.upper = upper;
    f.upper_open = upper_open;
    f.value = value;
    f.meaning = meaning;
    return f;
}

FieldSpec choice(const char* key, std::vector<std::string> choices, const char* meaning) {
    FieldSpec f;
    f.key = key;
    f.type = FieldType::choice;
    f.choices = std::move(choices);
    f.meaning = meaning;
    return f;
}

FieldSpec boolean(const char* key, const char* meaning) {
    FieldSpec f;
    f.key = key;
    f.type = FieldType::boolean;
    f.meaning = meaning;
    return f;
}

std::vector<FieldSpec> make_fields() {
    const std::vector<std::string> activations = {"tanh", "relu", "softplus"};
    // [0, 1): momentum and Adam's betas; 1 would never forget and make the bias correction divide by zero.
    std::vector<FieldSpec> f = {
        integer("n", 1, [](const Config& c) { return double(c.n); }, "train and probe samples"),
        integer("n_test", 1, [](const Config& c) { return double(c.n_test); }, "test samples"),
        integer("d", 1, [](const Config& c) { return double(c.d); }, "input dimension (columns of W)"),
        integer("h", 1, [](const Config& c) { return double(c.h); }, "hidden units (rows of W)"),
        number("label_noise_std", 0, false, INFINITY, false, [](const Config& c) { return c.label_noise_std; },
               "standard deviation rho of the label noise"),
        choice("target_activation", activations, "the teacher's activation sigma*"),
        choice("activation", activations, "the student's activation phi"),
        boolean("fix_last_layer", "train W only (false: also the last layer a)"),
        choice("optimizer", {"adam", "gd", "sgd"}, "full-batch optimiser (sgd is an alias of gd)"),
        number("lr", 0, true, INFINITY, false, [](const Config& c) { return c.lr; }, "learning rate eta"),
        number("momentum", 0, false, 1, true, [](const Config& c) { return c.momentum; }, "heavy-ball momentum of GD"),
        number("weight_decay", 0, false, INFINITY, false, [](const Config& c) { return c.weight_decay; },
               "adds weight_decay W to each gradient"),
        number("beta1", 0, false, 1, true, [](const Config& c) { return c.beta1; }, "Adam's beta1"),
        number("beta2", 0, false, 1, true, [](const Config& c) { return c.beta2; }, "Adam's beta2"),
        number("eps", 0, true, INFINITY, false, [](const Config& c) { return c.eps; }, "Adam's epsilon"),
        integer("lr_scheduler.step_size", 0, [](const Config& c) { return double(c.lr_scheduler.step_size); },
                "StepLR: decay every this many steps (0: constant lr)"),
        // (0, 1]: StepLR decays the learning rate; gamma > 1 would grow it geometrically, step after step, into
        // a diverged run (PyTorch would accept it, but no schedule of the study does, and the page says "decay").
        number("lr_scheduler.gamma", 0, true, 1, false, [](const Config& c) { return c.lr_scheduler.gamma; },
               "StepLR's multiplicative decay, in (0, 1]"),
        boolean("enable_weight_normalization", "rescale W to Frobenius norm sqrt(h d) before each step"),
        integer("num_steps", 0, [](const Config& c) { return double(c.num_steps); }, "optimiser steps"),
        integer("probe_every", 1, [](const Config& c) { return double(c.probe_every); },
                "probe at step 0, every this many steps and at the last step"),
        number("reg_lambda", 0, true, INFINITY, false, [](const Config& c) { return c.reg_lambda; },
               "ridge regularisation of the last-layer refit"),
        choice("probe_feature_scale", {"sqrt_d", "d"}, "probe features phi(X W^T/sqrt d), or the reference's /d"),
        integer("top_k", 1, [](const Config& c) { return double(c.top_k); },
                "singular vectors in the update overlaps"),
        boolean("probe_update", "measure the update M_t = W_t - W_{t-1}"),
        integer("seed", 0, [](const Config& c) { return double(c.seed); }, "base seed of every random stream"),
        integer("repeat", 0, [](const Config& c) { return double(c.repeat); },
                "repeat index: a fresh teacher, data and W0 (in a sweep: the number of repeats)"),
    };
    for (FieldSpec& field : f) {
        if (field.key == "lr" || field.key == "eps" || field.key == "weight_decay") field.float32 = true;
        // The labels are float32: noise beyond this makes their squares, summed over n, overflow (and a probe
        // of such a run would measure nothing but infinities).
        if (field.key == "label_noise_std") field.upper = 1e6;
        if (field.key == "top_k") field.upper_expression = "min(h, d)";
        if (field.key == "seed") field.upper = 18446744073709551615.0;  // 2^64 - 1
    }
    return f;
}

}  // namespace

const char* to_string(FieldType type) {
    switch (type) {
        case FieldType::integer: return "int";
        case FieldType::number: return "number";
        case FieldType::boolean: return "bool";
        case FieldType::choice: return "choice";
    }
    return "?";
}

const std::vector<FieldSpec>& config_fields() {
    static const std::vector<FieldSpec> fields = make_fields();
    return fields;
}

const FieldSpec* find_config_field(const std::string& key) {
    for (const FieldSpec& f : config_fields())
        if (f.key == key) return &f;
    return nullptr;
}

std::string range_rule(const FieldSpec& f) {
    if (f.type == FieldType::integer) {
        if (std::isfinite(f.upper) && f.key != "seed")
            return "must be an integer in " + number_text(f.lower) + ".." + number_text(f.upper);
        return std::string("must be an integer ") + (f.lower_open ? "> " : ">= ") + number_text(f.lower);
    }
    if (f.type != FieldType::number) return "";
    if (f.float32)
        return std::string("must be finite and ") + (f.lower_open ? "> " : ">= ") + number_text(f.lower) +
               ", and a nonzero value within float32's range [1.2e-38, 3.4e+38]";
    if (std::isfinite(f.upper))
        return std::string("must be in ") + (f.lower_open ? "(" : "[") + number_text(f.lower) + ", " +
               number_text(f.upper) + (f.upper_open ? ")" : "]");
    return std::string("must be finite and ") + (f.lower_open ? "> " : ">= ") + number_text(f.lower);
}

bool in_range(const FieldSpec& f, double value) {
    if (f.type == FieldType::number && !std::isfinite(value)) return false;
    if (f.lower_open ? !(value > f.lower) : !(value >= f.lower)) return false;
    if (f.upper_open ? !(value < f.upper) : !(value <= f.upper)) return false;
    if (f.float32 && value != 0 && !(std::abs(value) >= FLT_MIN && std::abs(value) <= FLT_MAX)) return false;
    return true;
}

namespace {
// An integer field's value as the messages show it. The seed (uint64) may lie beyond long long's range, where
// the cast would be undefined (UBSan's float-cast-overflow): such values are written as numbers.
std::string integer_text(double value) {
    if (std::abs(value) < 9.2e18) return std::to_string(static_cast<long long>(value));
    return number_text(value);
}
}  // namespace

std::string range_error(const FieldSpec& f, const Config& c) {
    if (!f.value) return "";
    const double value = f.value(c);
    const std::string got = f.type == FieldType::integer ? integer_text(value) : number_text(value);
    if (f.upper_expression == "min(h, d)") {
        if (c.h < 1 || c.d < 1) return "";  // h or d is reported itself
        const int k_max = std::min(c.h, c.d);
        if (value >= f.lower && value <= k_max) return "";
        return "must be an integer in 1..min(h, d) = 1.." + std::to_string(k_max) + " (got " + got + ")";
    }
    return in_range(f, value) ? "" : range_rule(f) + " (got " + got + ")";
}

}  // namespace spiketail
