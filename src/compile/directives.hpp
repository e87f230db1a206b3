// The [Unit] and [Service] directives of one process type, as unit-file text.
#pragma once

#include <string>

#include "compile/compile.hpp"
#include "formation/model.hpp"

namespace formation {

std::string unit_directives(const ProcessType& p);
std::string service_directives(const ProcessType& p, const CompileOptions& options);
std::string hardening_directives(const ProcessType& p);
// The escape hatch's [Service] lines: last, so they can override anything.
std::string raw_service_directives(const ProcessType& p);

}  // namespace formation
