// See zoneinfo.hpp.
#include "host/zoneinfo.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <ctime>
#include <string>

namespace formation::host {

bool zoneinfo_file_is_tzif(std::string_view name) {
    const std::string path = "/usr/share/zoneinfo/" + std::string(name);
    // O_NONBLOCK, which systemd does not use: a FIFO there would block its
    // open(); here it opens and is refused as not regular.
    const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NONBLOCK);
    if (fd < 0) return false;
    struct stat st {};
    bool ok = ::fstat(fd, &st) == 0 && S_ISREG(st.st_mode);
    // loop_read_exact(): all four bytes, or it is not a zone file.
    char magic[4];
    std::size_t got = 0;
    while (ok && got < sizeof magic) {
        const ssize_t n = ::read(fd, magic + got, sizeof magic - got);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) break;
        got += static_cast<std::size_t>(n);
    }
    ::close(fd);
    return ok && got == sizeof magic && std::memcmp(magic, "TZif", 4) == 0;
}

CalendarZones calendar_zones() {
    ::tzset();
    CalendarZones zones;
    zones.file_exists = zoneinfo_file_is_tzif;
    zones.local_standard = tzname[0] ? tzname[0] : "";
    zones.local_daylight = tzname[1] ? tzname[1] : "";
    return zones;
}

}  // namespace formation::host
