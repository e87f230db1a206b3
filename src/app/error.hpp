// What the app layer's failures carry to whoever runs it: a message for the
// user and the exit code it means (documented in formation(1)), or a
// formation file that was refused, to be printed with its source lines.
#pragma once

#include <stdexcept>
#include <string>

#include "formation/error.hpp"
#include "formation/model.hpp"

namespace formation::app {

enum Exit : int { exit_ok = 0, exit_failed = 1, exit_usage = 2, exit_systemd = 3 };

class Error : public std::runtime_error {
public:
    Error(const std::string& message, int code) : std::runtime_error(message), code_(code) {}
    int code() const { return code_; }

private:
    int code_;
};

struct InvalidFormation {
    FormationError error;
    std::string source;
};

struct LoadedFormation {
    std::string path;
    std::string text;
    Formation formation;
};

}  // namespace formation::app
