// libFuzzer target: `formation import` on any bytes. The first byte picks
// the dialect; the rest is a Procfile, then a NUL, then a .env file. What
// import_formation returns must pass the parser (the formation it writes
// passes `formation check`). A refusal (FormationError) is fine; a crash, a
// leak, a sanitizer report or any other exception is a finding.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "formation/parse.hpp"
#include "import/import.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    if (size == 0) return 0;
    using namespace formation;
    const Dialect dialect = data[0] & 1 ? Dialect::honcho : Dialect::foreman;
    std::string_view rest(reinterpret_cast<const char*>(data) + 1, size - 1);
    const auto nul = rest.find('\0');
    std::string_view procfile_text = rest.substr(0, nul);
    std::string_view env_text = nul == std::string_view::npos ? std::string_view{} : rest.substr(nul + 1);
    ImportOptions o;
    o.dialect = dialect;
    o.app = "fuzz";
    o.procfile = "Procfile";
    o.env_files = {".env"};
    o.working_directory = "/srv/fuzz";
    o.secrets_path = "/srv/fuzz/fuzz.env";
    ImportResult r;
    try {
        Procfile pf = parse_procfile(procfile_text, "Procfile", dialect);
        EnvFile env = parse_dotenv(env_text, ".env", dialect);
        r = import_formation(pf, merge_env({env}), o);
    } catch (const FormationError& e) {
        if (e.diagnostics().empty()) __builtin_trap();
        return 0;
    }
    try {
        Formation f = parse_formation(r.formation, "formation.toml");
        if (f.app != "fuzz") __builtin_trap();
    } catch (const FormationError&) {
        __builtin_trap();
    }
    return 0;
}
