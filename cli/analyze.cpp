#include "analyze.hpp"

#include <omp.h>

#include <atomic>
#include <condition_variable>
#include <cstdio>
#include <memory>
#include <mutex>
#include <regex>
#include <thread>

#include "io/analyze_document.hpp"
#include "io/json_document.hpp"
#include "io/layer_report.hpp"
#include "io/record_json.hpp"
#include "model_file.hpp"
#include "output.hpp"
#include "progress.hpp"

namespace spiketail {
namespace {

struct Job {
    std::size_t file = 0, tensor = 0;
    std::uint64_t bytes = 0;
};

bool ends_with_csv(const std::string& path) {
    return path.size() >= 4 && (path.compare(path.size() - 4, 4, ".csv") == 0 || path.compare(path.size() - 4, 4, ".CSV") == 0);
}

}  // namespace

int command_analyze(const Options& options) {
    std::regex filter;
    if (!options.layers_regex.empty()) {
        try {
            filter = std::regex(options.layers_regex, std::regex::ECMAScript);
        } catch (const std::regex_error& e) {
            std::fprintf(stderr, "spiketail: --layers: not a regular expression: %s\n", e.what());
            return k_exit_input;
        }
    }
    LayerOptions layer_options;
    layer_options.min_evals = options.min_size;

    // Index every file first (headers only): the table's rows are known before any layer is analysed.
    std::vector<std::unique_ptr<ModelFile>> files;
    bool input_error = false;
    std::vector<Job> jobs;
    std::vector<std::vector<nlohmann::ordered_json>> rows;  // per file, per tensor: its row (skipped or analysed)
    std::uint64_t total_bytes = 0;
    for (const std::string& path : options.files) {
        files.push_back(std::make_unique<ModelFile>());
        ModelFile& file = *files.back();
        rows.emplace_back();
        if (!file.open(path)) {
            std::fprintf(stderr, "spiketail: %s\n", file.error().c_str());
            input_error = true;
            continue;
        }
        rows.back().resize(file.tensors().size());
        for (std::size_t t = 0; t < file.tensors().size(); ++t) {
            const TensorEntry& tensor = file.tensors()[t];
            const bool selected = options.layers_regex.empty() || std::regex_search(tensor.name, filter);
            const LayerPlan plan = plan_layer(tensor.name, tensor.shape, layer_options, selected);
            if (tensor_needs_reading(tensor, plan, selected)) {
                jobs.push_back({files.size() - 1, t, tensor.stored_bytes()});
                total_bytes += tensor.stored_bytes();
            } else {
                nlohmann::ordered_json row = skipped_row(path, tensor, plan);
                if (!selected) row["message"] = "name not selected by --layers";
                rows.back()[t] = std::move(row);
            }
        }
    }

    // Workers take tensors in order; each holds one tensor's bytes and matrices at a time.
    const int workers = std::max(1, std::min<int>(options.jobs, static_cast<int>(jobs.size())));
    const int threads_per_worker = std::max(1, omp_get_max_threads() / workers);
    std::atomic<std::size_t> next{0};
    std::atomic<int> finished{0};
    std::atomic<std::uint64_t> bytes_done{0};
    std::mutex mutex;
    std::condition_variable wake;
    auto worker = [&]() {
        omp_set_num_threads(threads_per_worker);
        std::vector<std::uint8_t> bytes;
        for (std::size_t j = next++; j < jobs.size(); j = next++) {
            const Job& job = jobs[j];
            const ModelFile& file = *files[job.file];
            const TensorEntry& tensor = file.tensors()[job.tensor];
            nlohmann::ordered_json row;
            std::string error;
            try {
                if (!file.read_tensor(tensor, bytes, error)) {
                    LayerPlan none;
                    none.skip_reason = valid_utf8(error);
                    row = skipped_row(file.path(), tensor, none);
                    row["status"] = "failed";
                } else {
                    // The filter passed already: the job list holds selected tensors only.
                    row = analyze_tensor(file.path(), tensor, bytes.data(), bytes.size(), layer_options, true).row;
                }
            } catch (const std::exception& e) {  // std::bad_alloc: this layer fails, the others go on
                LayerPlan none;
                none.skip_reason = std::string("the analysis failed: ") + e.what();
                row = skipped_row(file.path(), tensor, none);
                row["status"] = "failed";
            }
            bytes.clear();
            bytes.shrink_to_fit();
            rows[job.file][job.tensor] = std::move(row);
            bytes_done += job.bytes;
            ++finished;
            std::lock_guard<std::mutex> lock(mutex);
            wake.notify_one();
        }
    };
    Progress progress(!options.quiet);
    std::vector<std::thread> pool;
    for (int w = 0; w < workers && !jobs.empty(); ++w) pool.emplace_back(worker);
    {
        std::unique_lock<std::mutex> lock(mutex);
        while (finished < static_cast<int>(jobs.size())) {
            wake.wait_for(lock, std::chrono::milliseconds(200));
            progress.update(total_bytes > 0 ? static_cast<double>(bytes_done) / static_cast<double>(total_bytes) : 1.0,
                            "layer " + std::to_string(finished.load()) + "/" + std::to_string(jobs.size()));
        }
    }
    for (std::thread& t : pool) t.join();
    progress.finish();
    if (!options.quiet && progress.elapsed_seconds() >= 1.0)
        std::fprintf(stderr, "spiketail: %zu layers in %s\n", jobs.size(), format_duration(progress.elapsed_seconds()).c_str());

    // Each file's rows in file order: the tensors not read (skipped_row) and the analysed ones.
    std::vector<AnalyzedFile> analysed(files.size());
    for (std::size_t f = 0; f < files.size(); ++f) {
        const ModelFile& file = *files[f];
        AnalyzedFile& a = analysed[f];
        a.file = valid_utf8(options.files[f]);
        a.format = to_string(file.format());
        a.bytes = file.size();
        a.tensors = file.tensors().size();
        a.error = valid_utf8(file.error());
        a.results = std::move(rows[f]);
    }
    const nlohmann::ordered_json document = analyze_document(analysed);
    const std::string text = ends_with_csv(options.out_path) ? analyze_document_csv(document) : dump_document(document);
    const OutputResult result = write_output_file(options.out_path, text);
    if (!result.ok) {
        std::fprintf(stderr, "spiketail: %s\n", result.error.c_str());
        return k_exit_output;
    }
    return input_error ? k_exit_input : k_exit_ok;
}

}  // namespace spiketail
