// The little HTTP that `formation metrics --http` speaks on a connection
// systemd accepted for it (formation-metrics.socket, Accept=yes): one
// request in, one response out, then the connection closes. Pure: the verb
// reads and writes the descriptors.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace formation::app {

// The most of a request head that is read; a longer one is refused (431).
inline constexpr std::size_t max_request_head = 8192;

struct HttpAnswer {
    int status = 200;          // 200, 400, 404, 405, 431
    bool metrics = false;      // 200 for /metrics: the body is the metrics
    bool head_only = false;    // HEAD: headers without a body
};

// Where the head ends ("\r\n\r\n" or "\n\n"), or nullopt while incomplete.
std::optional<std::size_t> request_head_end(std::string_view received);

// What to answer a request head (its request line is what counts):
// GET or HEAD of /metrics (a query string allowed) → the metrics; GET of / →
// a line saying where they are; another path 404; another method 405;
// anything that is not an HTTP/1.x request line 400.
HttpAnswer answer_request(std::string_view head);

// The whole response: status line, Content-Type, Content-Length,
// Connection: close, and the body unless head_only.
std::string http_response(const HttpAnswer& a, std::string_view body);

// The body of a response that is not the metrics.
std::string answer_body(const HttpAnswer& a);

}  // namespace formation::app
