// An HTTP server for node: each request takes 10 ms and says which instance
// answered. It listens on the socket systemd passes (fd 3) when there is one
// (LISTEN_FDS), else on $PORT; on SIGTERM it stops accepting, ends its idle
// keep-alive connections, answers what it has and exits.
const http = require("http");
const server = http.createServer((req, res) => {
  setTimeout(() => res.end(`ok node ${process.env.FORMATION_INSTANCE}\n`), 10);
});
server.listen(process.env.LISTEN_FDS ? { fd: 3 } : { port: +process.env.PORT, host: "127.0.0.1" });
process.on("SIGTERM", () => server.close(() => process.exit(0)));
