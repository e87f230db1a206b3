// formation generate -o DIR [--check] [--helper PATH]: the units the
// generator would make from FILE installed on a host, written into a
// directory (an ops repo), for hosts that have only systemd unless --helper
// names where formation is installed on them.
// DIR's contents are untrusted; --check writes nothing anywhere. The
// planning and writing: app/generate.hpp.
#include <CLI/CLI.hpp>

#include <iostream>
#include <memory>

#include "app/error.hpp"
#include "app/generate.hpp"
#include "compile/compile.hpp"
#include "cli/common.hpp"
#include "cli/diff.hpp"

namespace formation::cli {

namespace {

struct GenerateOptions {
    std::string out_dir;
    std::string helper;  // --helper: where formation is on the target hosts
    bool check = false;
};

// What the hosts need besides systemd, once per type: "web: health, ready = "port"".
std::string needs_by_type(const std::vector<HelperNeed>& needs) {
    std::string out, type;
    for (const auto& n : needs) {
        if (n.type != type) {
            out += (type.empty() ? "    " : "\n    ") + n.type + ": ";
            type = n.type;
        } else {
            out += ", ";
        }
        out += n.feature;
    }
    return out + "\n";
}

const char* verb_of(generator::TreeChange::Kind k) {
    switch (k) {
        case generator::TreeChange::Kind::create: return "create ";
        case generator::TreeChange::Kind::update: return "update ";
        case generator::TreeChange::Kind::remove: return "remove ";
    }
    return "";
}

int run_generate(const Globals& g, const GenerateOptions& o) {
    LoadedFormation loaded = load_formation(g.file);
    app::OpsPlan plan;
    try {
        plan = app::plan_generate(g.user, loaded.formation, o.out_dir, o.check, app::OpsTarget{o.helper});
    } catch (FormationError& e) {
        throw app::InvalidFormation{std::move(e), loaded.text};
    }
    const std::size_t stale = plan.stale();
    if (o.check) {
        if (stale == 0) return exit_ok;
        for (const auto& p : plan.trees)
            for (const auto& c : p.changes) std::cout << line_diff(p.shown() + c.path, c.old_content, c.new_content);
        std::cerr << "formation: " << stale << " file" << (stale == 1 ? " is" : "s are") << " stale in " << o.out_dir
                  << "; run `formation generate -o " << o.out_dir << "`\n";
        return exit_failed;
    }
    app::write_generate(plan);
    if (g.quiet) return exit_ok;
    if (stale == 0) std::cout << o.out_dir << ": up to date (" << plan.files() << " files)\n";
    for (const auto& p : plan.trees)
        for (const auto& c : p.changes) std::cout << "  " << verb_of(c.kind) << p.shown() << c.path << '\n';
    if (const auto needs = helper_needs(loaded.formation, true); !o.helper.empty() && !needs.empty())
        std::cout << "The units run " << o.helper << " (formation " << app::helper_version()
                  << " or later) on their hosts for\n"
                  << needs_by_type(needs);
    return exit_ok;
}

}  // namespace

void add_generate(CLI::App& root, const Globals& g, Run& run) {
    auto opts = std::make_shared<GenerateOptions>();
    auto* cmd = root.add_subcommand("generate", "Write the units the generator would make from FILE into a directory");
    cmd->add_option("-o,--output", opts->out_dir, "Directory to write the units into")->required();
    cmd->add_flag("--check", opts->check, "Write nothing; exit 1 with a diff when DIR is stale");
    cmd->add_option("--helper", opts->helper,
                    "Where formation is installed on the hosts the units run on (health, on_failure, "
                    "socket = \"shared\" need it); without, the units need only systemd")
        ->check([](const std::string& path) -> std::string {
            if (path.empty() || path.front() != '/') return "--helper must be an absolute path";
            for (unsigned char ch : path)
                if (ch < 0x20 || ch == 0x7f) return "--helper must not hold control characters";
            return {};
        });
    cmd->callback([&g, &run, opts] { run = [&g, opts] { return run_generate(g, *opts); }; });
}

}  // namespace formation::cli
