#include "app/metrics_http.hpp"

namespace formation::app {

std::optional<std::size_t> request_head_end(std::string_view received) {
    auto crlf = received.find("\r\n\r\n");
    auto lf = received.find("\n\n");
    if (crlf != std::string_view::npos && (lf == std::string_view::npos || crlf + 2 <= lf)) return crlf + 4;
    if (lf != std::string_view::npos) return lf + 2;
    return std::nullopt;
}

namespace {

bool is_token_char(char c) {
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
           std::string_view("!#$%&'*+-.^_`|~").find(c) != std::string_view::npos;
}

}  // namespace

HttpAnswer answer_request(std::string_view head) {
    HttpAnswer a;
    std::string_view line = head.substr(0, head.find('\n'));
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    auto sp1 = line.find(' ');
    auto sp2 = sp1 == std::string_view::npos ? sp1 : line.find(' ', sp1 + 1);
    if (sp2 == std::string_view::npos || line.find(' ', sp2 + 1) != std::string_view::npos) return {400, false, false};
    std::string_view method = line.substr(0, sp1);
    std::string_view target = line.substr(sp1 + 1, sp2 - sp1 - 1);
    std::string_view version = line.substr(sp2 + 1);
    if (method.empty() || target.empty() || version.substr(0, 7) != "HTTP/1." || version.size() != 8) return {400, false, false};
    for (char c : method)
        if (!is_token_char(c)) return {400, false, false};
    for (char c : target)
        if (static_cast<unsigned char>(c) <= 0x20 || c == 0x7f) return {400, false, false};
    a.head_only = method == "HEAD";
    if (method != "GET" && method != "HEAD") return {405, false, false};
    std::string_view path = target.substr(0, target.find('?'));
    if (path == "/metrics") a.metrics = true;
    else if (path != "/") a.status = 404;
    return a;
}

namespace {

const char* reason(int status) {
    switch (status) {
    case 200: return "OK";
    case 400: return "Bad Request";
    case 404: return "Not Found";
    case 405: return "Method Not Allowed";
    case 431: return "Request Header Fields Too Large";
    case 500: return "Internal Server Error";
    default: return "Error";
    }
}

}  // namespace

std::string answer_body(const HttpAnswer& a) {
    if (a.status == 200) return "formation metrics: GET /metrics\n";
    return std::to_string(a.status) + " " + reason(a.status) + "\n";
}

std::string http_response(const HttpAnswer& a, std::string_view body) {
    std::string out = "HTTP/1.1 " + std::to_string(a.status) + " " + reason(a.status) + "\r\n";
    out += a.metrics && a.status == 200 ? "Content-Type: text/plain; version=0.0.4; charset=utf-8\r\n"
                                        : "Content-Type: text/plain; charset=utf-8\r\n";
    out += "Content-Length: " + std::to_string(body.size()) + "\r\n";
    if (a.status == 405) out += "Allow: GET, HEAD\r\n";
    out += "Connection: close\r\n\r\n";
    if (!a.head_only) out += body;
    return out;
}

}  // namespace formation::app
