// deskd: parse the command line, load the config, build the daemon, run it (app/commands.cpp).
#include "app/commands.h"

int main(int argc, char** argv) { return deskd::app::run_command_line(argc, argv); }
