#pragma once

#include <string>

namespace deskd::testing {

// A throw-away certificate authority made with the openssl command line at test time, in a
// fresh directory readable by mosquitto (which drops to its own user when started as root).
// Keys are EC P-256 (fast to make). Every file is valid for one day.
class TestCa {
 public:
  // `name` is the CA's common name; throws std::runtime_error if openssl fails.
  explicit TestCa(const std::string& name = "deskd test CA");

  const std::string& dir() const { return dir_; }
  std::string ca_file() const { return dir_ + "/" + name_ + ".crt"; }

  struct Issued {
    std::string cert_file;
    std::string key_file;
  };
  // A server certificate for `san` (subjectAltName, e.g. "DNS:localhost,IP:127.0.0.1").
  Issued server(const std::string& file_name, const std::string& san) const;
  // A client certificate (extendedKeyUsage clientAuth) with common name `cn`.
  Issued client(const std::string& file_name, const std::string& cn) const;

 private:
  Issued issue(const std::string& file_name, const std::string& cn,
               const std::string& extensions) const;

  std::string dir_;
  std::string name_;
};

}  // namespace deskd::testing
