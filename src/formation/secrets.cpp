#include "formation/secrets.hpp"

#include <string>

namespace formation {

namespace {

bool contains(std::string_view s, std::string_view part) { return s.find(part) != std::string_view::npos; }

// scheme://USERINFO@host…: a password, or a token standing in for a user
// name (https://TOKEN@github.com/…, Sentry DSNs).
bool url_with_credentials(std::string_view value) {
    for (std::size_t at = value.find("://"); at != std::string_view::npos; at = value.find("://", at + 3)) {
        std::string_view rest = value.substr(at + 3);
        std::string_view authority = rest.substr(0, rest.find_first_of("/?# \t\n,;"));
        if (contains(authority, "@")) return true;
    }
    return false;
}

}  // namespace

bool looks_secret(std::string_view name, std::string_view value) {
    std::string n(name);
    for (char& c : n)
        if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
    std::string_view u = n;
    return u.ends_with("_KEY") || u.ends_with("_PASS") || contains(u, "SECRET") || contains(u, "PASSWORD") ||
           contains(u, "PASSWD") || contains(u, "TOKEN") || contains(u, "CREDENTIAL") || url_with_credentials(value);
}

}  // namespace formation
