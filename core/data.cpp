#include "data.hpp"

#include "activation.hpp"
#include "rng.hpp"

namespace spiketail {
namespace {

// Samples drawn one row at a time (x_1 fully, then x_2, ...), so a set of n rows is a prefix of a larger one.
DataSet sample_set(const Teacher& teacher, int n, int d, Rng x_rng, Rng noise_rng) {
    DataSet set;
    set.X.resize(n, d);
    set.y.resize(n);
    for (int i = 0; i < n; ++i) {
        double projection = 0.0;
        for (int j = 0; j < d; ++j) {
            const double x = x_rng.gaussian();
            set.X(i, j) = static_cast<float>(x);
            projection += teacher.beta[j] * x;
        }
        const double noise = teacher.noise_std * noise_rng.gaussian();
        set.y[i] = static_cast<float>(activate(teacher.target, projection) + noise);
    }
    return set;
}

}  // namespace

DataSets make_data(const Config& c) {
    const auto stream = [&](Stream purpose) { return Rng::for_stream(c.seed, c.repeat, purpose); };
    DataSets sets;
    Rng teacher_rng = stream(Stream::teacher);
    sets.teacher.beta.resize(c.d);
    for (int j = 0; j < c.d; ++j) sets.teacher.beta[j] = teacher_rng.gaussian();
    sets.teacher.beta.normalize();
    sets.teacher.target = c.target_activation;
    sets.teacher.noise_std = c.label_noise_std;

    sets.train = sample_set(sets.teacher, c.n, c.d, stream(Stream::train_x), stream(Stream::train_noise));
    sets.probe = sample_set(sets.teacher, c.n, c.d, stream(Stream::probe_x), stream(Stream::probe_noise));
    sets.test = sample_set(sets.teacher, c.n_test, c.d, stream(Stream::test_x), stream(Stream::test_noise));
    return sets;
}

}  // namespace spiketail
