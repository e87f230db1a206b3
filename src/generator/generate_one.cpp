#include "generator/generate_one.hpp"

#include <csignal>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <iostream>

#include "app/installed.hpp"
#include "compile/render.hpp"
#include "host/zoneinfo.hpp"
#include "generator/isolate.hpp"

namespace formation::generator {

CompileOptions compile_options(const Options& o, const std::string& source_path) {
    return CompileOptions{o.user, o.helper_path, source_path, host::calendar_zones(), {}};
}

namespace {

// A 1 MiB file is read and compiled in well under a second; a child that
// takes this long on one file is stuck, and systemd would kill the whole
// generator (and every app's units with it) a little later.
constexpr int per_file_timeout_ms = 10000;

void print_units(const std::vector<UnitFile>& files) {
    for (const auto& f : files) {
        if (f.symlink)
            std::cout << "# " << f.path << " -> " << f.content << "\n\n";
        else
            std::cout << "# " << f.path << "\n" << f.content << "\n";
    }
}

// What resolve_installed() decided, logged: the last good copy is used when
// the installed file cannot be (`why`).
std::optional<UnitSet> logged(const host::InstalledFile& in, app::Resolved r, Log& log, const std::string& why) {
    for (const auto& d : r.installed_errors) log.error(one_line(d));
    if (r.ok() && !r.on_last_good) return std::move(r.rendered.set);
    if (!in.last_good) {
        log.error(in.app + ": no units generated");
        return std::nullopt;
    }
    if (!r.ok()) {
        for (const auto& d : r.rendered.errors) log.error(one_line(d));
        log.error(in.app + ": the last good copy " + in.last_good_path.string() + " is invalid too; no units generated");
        return std::nullopt;
    }
    log.warning(in.app + ": " + in.path.string() + " " + why + "; running on its last good formation " +
                in.last_good_path.string());
    return std::move(r.rendered.set);
}

// For the tests of this isolation only (formation-generator(8)):
// $FORMATION_GENERATOR_TEST_CRASH names apps (comma-separated) whose
// installed file the reading process dies on, as a bug in the parser would
// kill it. systemd gives the system generator its own environment, which
// only root sets.
bool crash_requested(const std::string& app) {
    const char* list = std::getenv("FORMATION_GENERATOR_TEST_CRASH");
    if (!list) return false;
    std::string_view rest = list;
    while (!rest.empty()) {
        std::size_t comma = rest.find(',');
        if (rest.substr(0, comma) == app) return true;
        rest = comma == std::string_view::npos ? std::string_view() : rest.substr(comma + 1);
    }
    return false;
}

std::optional<UnitSet> decide_units(const host::InstalledFile& in, const Options& o, bool last_good_only, Log& log) {
    CompileOptions copts = compile_options(o, in.path.string());
    if (last_good_only) return logged(in, app::resolve_installed(in, copts, true), log, "crashed the generator");
    if (crash_requested(in.app)) std::raise(SIGSEGV);
    return logged(in, app::resolve_installed(in, copts), log, "is invalid");
}

void put(std::string& out, std::uint64_t v) { out.append(reinterpret_cast<const char*>(&v), sizeof v); }
void put(std::string& out, std::string_view s) {
    put(out, static_cast<std::uint64_t>(s.size()));
    out.append(s);
}

// Reads what put() wrote; every read checks the bytes are there.
class Reader {
public:
    explicit Reader(std::string_view s) : s_(s) {}
    bool number(std::uint64_t& v) {
        if (s_.size() < sizeof v) return false;
        std::memcpy(&v, s_.data(), sizeof v);
        s_.remove_prefix(sizeof v);
        return true;
    }
    bool text(std::string& out) {
        std::uint64_t n = 0;
        if (!number(n) || s_.size() < n) return false;
        out.assign(s_.substr(0, n));
        s_.remove_prefix(n);
        return true;
    }
    bool done() const { return s_.empty(); }

private:
    std::string_view s_;
};

}  // namespace

Outcome decide(const host::InstalledFile& in, const Options& o, bool last_good_only) {
    Log log = Log::capture();
    Outcome r;
    try {
        if (auto set = decide_units(in, o, last_good_only, log)) r.files = std::move(set->files);
    } catch (const std::exception& e) {
        log.error(in.app + ": " + e.what());
        r.files.reset();
    } catch (...) {
        log.error(in.app + ": an unknown error; no units generated");
        r.files.reset();
    }
    r.log = log.captured();
    return r;
}

std::string encode(const Outcome& r) {
    std::string out;
    put(out, r.log.size());
    for (const auto& rec : r.log) {
        put(out, static_cast<std::uint64_t>(rec.priority));
        put(out, rec.message);
    }
    put(out, r.files ? 1 + r.files->size() : 0);
    if (r.files)
        for (const auto& f : *r.files) {
            put(out, f.symlink ? 1 : 0);
            put(out, f.path);
            put(out, f.content);
        }
    return out;
}

std::optional<Outcome> decode(std::string_view bytes) {
    Reader in(bytes);
    Outcome r;
    std::uint64_t n = 0;
    if (!in.number(n)) return std::nullopt;
    for (; n > 0; --n) {
        std::uint64_t priority = 0;
        Log::Record rec{};
        if (!in.number(priority) || !in.text(rec.message)) return std::nullopt;
        rec.priority = static_cast<int>(priority);
        r.log.push_back(std::move(rec));
    }
    if (!in.number(n)) return std::nullopt;
    if (n > 0) r.files.emplace();
    for (; n > 1; --n) {
        std::uint64_t symlink = 0;
        UnitFile f;
        if (!in.number(symlink) || !in.text(f.path) || !in.text(f.content)) return std::nullopt;
        f.symlink = symlink != 0;
        r.files->push_back(std::move(f));
    }
    if (!in.done()) return std::nullopt;
    return r;
}

int generate_all(const std::vector<host::InstalledFile>& files, const Options& o, GeneratorDir* out, Log& log) {
    // A job per file; a file that crashes its child gets a second job right
    // after it, for its last good copy alone.
    struct Job {
        const host::InstalledFile* in;
        bool last_good_only;
    };
    std::vector<Job> jobs;
    for (const auto& in : files) jobs.push_back({&in, false});
    int failed = 0;
    auto work = [&](std::size_t j) { return encode(decide(*jobs[j].in, o, jobs[j].last_good_only)); };
    auto done = [&](std::size_t j, std::string bytes) {
        const host::InstalledFile& in = *jobs[j].in;
        auto r = decode(bytes);
        if (!r) {
            log.error(in.app + ": the generator's child sent no complete result; no units generated");
            ++failed;
            return;
        }
        for (const auto& rec : r->log) log.write(rec.priority, rec.message);
        if (!r->files) {
            ++failed;
            return;
        }
        try {
            if (o.dry_run || !out) print_units(*r->files);
            else out->write(UnitSet{in.app, {}, {}, std::move(*r->files), {}, {}, {}, {}}, in.path.string());
        } catch (const std::exception& e) {
            // One app's failure never costs the others their units.
            log.error(in.app + ": " + e.what());
            ++failed;
        }
    };
    std::cout.flush();  // nothing buffered is copied into a child
    for (std::size_t next = 0; next < jobs.size();) {
        auto crash = run_isolated(next, jobs.size(), work, done, per_file_timeout_ms);
        if (!crash) break;
        const Job job = jobs[crash->job];
        const host::InstalledFile& in = *job.in;
        if (job.last_good_only) {
            log.error(in.last_good_path.string() + ": the process reading this file " + crash->why);
            log.error(in.app + ": no units generated");
            ++failed;
        } else {
            log.error(in.path.string() + ": the process reading this file " + crash->why);
            if (in.last_good) jobs.insert(jobs.begin() + static_cast<std::ptrdiff_t>(crash->job) + 1, Job{&in, true});
            else {
                log.error(in.app + ": no units generated");
                ++failed;
            }
        }
        next = crash->job + 1;
    }
    return failed;
}

}  // namespace formation::generator
