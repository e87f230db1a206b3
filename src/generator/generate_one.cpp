#include "generator/generate_one.hpp"

#include <iostream>

#include "compile/render.hpp"

namespace formation::generator {

CompileOptions compile_options(const Options& o, const std::string& source_path) {
    return CompileOptions{o.user, o.helper_path, source_path};
}

namespace {

void print_units(const UnitSet& set) {
    for (const auto& f : set.files) {
        if (f.symlink)
            std::cout << "# " << f.path << " -> " << f.content << "\n\n";
        else
            std::cout << "# " << f.path << "\n" << f.content << "\n";
    }
}

}  // namespace

bool generate_one(const host::InstalledFile& in, const Options& o, GeneratorDir* out, Log& log) {
    const std::string source = in.path.string();
    CompileOptions copts = compile_options(o, source);
    Rendered r = render(in.text, source, copts, in.app);
    if (!r.ok()) {
        for (const auto& d : r.errors) log.error(one_line(d));
        if (!in.last_good) {
            log.error(in.app + ": no units generated");
            return false;
        }
        Rendered good = render(*in.last_good, in.last_good_path.string(), copts, in.app);
        if (!good.ok()) {
            for (const auto& d : good.errors) log.error(one_line(d));
            log.error(in.app + ": the last good copy " + in.last_good_path.string() + " is invalid too; no units generated");
            return false;
        }
        log.warning(in.app + ": " + source + " is invalid; running on its last good formation " +
                    in.last_good_path.string());
        r = std::move(good);
    }
    if (o.dry_run || !out)
        print_units(r.set);
    else
        out->write(r.set, source);
    return true;
}

}  // namespace formation::generator
