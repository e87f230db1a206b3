// Writing units into a generator output directory, the way systemd's own
// generators do: systemd empties the directory before each run and reads it
// after the generator exits, so every file is simply created (O_CREAT|O_EXCL:
// a file that exists already is a collision, a bug that names both sources)
// and every write is checked. No temporary files, renames or syncs.
#pragma once

#include <filesystem>
#include <map>
#include <stdexcept>
#include <string>

#include "compile/unit_set.hpp"

namespace formation::generator {

class WriteError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

class GeneratorDir {
public:
    explicit GeneratorDir(std::filesystem::path dir) : dir_(std::move(dir)) {}
    // Writes every file of `set`; `source` names where it came from, for
    // collision messages. Throws WriteError (nothing is rolled back: systemd
    // discards the directory at the next run).
    void write(const UnitSet& set, const std::string& source);

private:
    std::filesystem::path dir_;
    std::map<std::string, std::string> written_;  // path → source
};

}  // namespace formation::generator
