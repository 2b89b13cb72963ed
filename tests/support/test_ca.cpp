#include "support/test_ca.h"

#include <sys/stat.h>

#include <fstream>
#include <stdexcept>
#include <vector>

#include "support/process.h"

namespace deskd::testing {
namespace {

void openssl(const std::vector<std::string>& args) {
  std::vector<std::string> argv{"openssl"};
  argv.insert(argv.end(), args.begin(), args.end());
  std::string out;
  if (run_command(argv, out) != 0) {
    std::string cmd;
    for (const auto& a : argv) cmd += a + " ";
    throw std::runtime_error("openssl failed: " + cmd + "\n" + out);
  }
}

void make_key(const std::string& path) {
  openssl({"genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-256", "-out", path});
  chmod(path.c_str(), 0644);  // mosquitto reads it as its own user
}

}  // namespace

TestCa::TestCa(const std::string& name) : dir_(make_temp_dir("deskd-ca")), name_("ca") {
  chmod(dir_.c_str(), 0755);
  const std::string key = dir_ + "/" + name_ + ".key";
  make_key(key);
  openssl({"req", "-x509", "-new", "-key", key, "-out", ca_file(), "-days", "1", "-subj",
           "/CN=" + name, "-addext", "basicConstraints=critical,CA:TRUE", "-addext",
           "keyUsage=critical,keyCertSign,cRLSign"});
  chmod(ca_file().c_str(), 0644);
}

TestCa::Issued TestCa::issue(const std::string& file_name, const std::string& cn,
                             const std::string& extensions) const {
  Issued out{dir_ + "/" + file_name + ".crt", dir_ + "/" + file_name + ".key"};
  make_key(out.key_file);
  const std::string csr = dir_ + "/" + file_name + ".csr";
  const std::string ext = dir_ + "/" + file_name + ".ext";
  std::ofstream(ext) << extensions;
  openssl({"req", "-new", "-key", out.key_file, "-out", csr, "-subj", "/CN=" + cn});
  openssl({"x509", "-req", "-in", csr, "-CA", ca_file(), "-CAkey", dir_ + "/" + name_ + ".key",
           "-CAcreateserial", "-out", out.cert_file, "-days", "1", "-extfile", ext});
  chmod(out.cert_file.c_str(), 0644);
  return out;
}

TestCa::Issued TestCa::server(const std::string& file_name, const std::string& san) const {
  return issue(file_name, "deskd test server",
               "subjectAltName=" + san + "\nextendedKeyUsage=serverAuth\n");
}

TestCa::Issued TestCa::client(const std::string& file_name, const std::string& cn) const {
  return issue(file_name, cn, "extendedKeyUsage=clientAuth\n");
}

}  // namespace deskd::testing
