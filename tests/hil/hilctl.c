/*
 * hilctl - the guest-side helper of the HIL harness (linked statically, runs inside qemu).
 *
 *   hilctl now                      CLOCK_MONOTONIC in ms (busybox has no sub-second clock)
 *   hilctl irq OFF                  the interrupt number of gpio-sim line OFF (-1: none yet)
 *   hilctl pull DIR OFF up|down     set a gpio-sim input's pull and wait until the kernel has
 *                                   seen the edge (its irq count moved) when the line is
 *                                   requested for events
 *   hilctl desk [options]           a simulated desk on gpio-sim lines: follows the motor
 *                                   outputs and the handset taps, emits paced quadrature edges,
 *                                   presses the limit switches at its end stops
 *   hilctl trace FILE [options]     analyses an ftrace record (gpio_value + irq_handler_entry,
 *                                   trace_clock mono) of one scenario: interlock, reversal dead
 *                                   time, last output levels, edge-to-stop latency
 *
 * Contract with gpio-sim (Linux 6.1): sim_gpioN/value shows an output's driven level while it is
 * requested and the pull otherwise; writing pull-up / pull-down to sim_gpioN/pull drives an
 * input. One flip at a time: the next flip waits until the kernel took the previous edge,
 * otherwise the simulated interrupt merges them (HIL.md).
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static int64_t now_ns(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

static void sleep_ns(int64_t ns) {
  if (ns <= 0) return;
  struct timespec ts = {(time_t)(ns / 1000000000), (long)(ns % 1000000000)};
  while (nanosleep(&ts, &ts) != 0 && errno == EINTR) {
  }
}

static void die(const char* fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  fprintf(stderr, "hilctl: ");
  vfprintf(stderr, fmt, ap);
  fprintf(stderr, "\n");
  va_end(ap);
  exit(2);
}

static int read_file(const char* path, char* buf, size_t len) {
  int fd = open(path, O_RDONLY);
  if (fd < 0) return -1;
  ssize_t n = read(fd, buf, len - 1);
  close(fd);
  if (n < 0) return -1;
  buf[n] = '\0';
  while (n > 0 && (buf[n - 1] == '\n' || buf[n - 1] == ' ')) buf[--n] = '\0';
  return 0;
}

/* ---- irq bookkeeping: gpio-sim lines are irq_sim interrupts with hwirq = line offset ---- */

static int find_irq(int offset, int need_action) {
  DIR* d = opendir("/sys/kernel/irq");
  if (!d) return -1;
  struct dirent* e;
  int found = -1;
  char path[300], buf[256];
  while ((e = readdir(d)) != NULL) {
    if (e->d_name[0] < '0' || e->d_name[0] > '9') continue;
    snprintf(path, sizeof(path), "/sys/kernel/irq/%s/chip_name", e->d_name);
    if (read_file(path, buf, sizeof(buf)) != 0 || strcmp(buf, "irq_sim") != 0) continue;
    snprintf(path, sizeof(path), "/sys/kernel/irq/%s/hwirq", e->d_name);
    if (read_file(path, buf, sizeof(buf)) != 0 || atoi(buf) != offset) continue;
    snprintf(path, sizeof(path), "/sys/kernel/irq/%s/actions", e->d_name);
    if (need_action && (read_file(path, buf, sizeof(buf)) != 0 || buf[0] == '\0')) continue;
    found = atoi(e->d_name);
    break;
  }
  closedir(d);
  return found;
}

static long irq_count(int irq) {
  char path[100], buf[256];
  snprintf(path, sizeof(path), "/sys/kernel/irq/%d/per_cpu_count", irq);
  if (read_file(path, buf, sizeof(buf)) != 0) return -1;
  long sum = 0;
  for (char* p = buf; *p;) {
    sum += strtol(p, &p, 10);
    if (*p == ',')
      p++;
    else if (*p)
      break;
  }
  return sum;
}

struct line {
  const char* name;
  int off;    /* -1: not simulated */
  int valfd;  /* sim_gpioN/value */
  int pullfd; /* sim_gpioN/pull */
  int irq;    /* -1: unknown / not requested for events */
  int64_t irq_checked_ns;
  int level; /* input: the pull we set (1 = pull-up) */
};

static const char* sysdir;

static void line_open(struct line* l) {
  char path[400];
  if (l->off < 0) return;
  snprintf(path, sizeof(path), "%s/sim_gpio%d/value", sysdir, l->off);
  l->valfd = open(path, O_RDONLY);
  if (l->valfd < 0) die("open %s: %s", path, strerror(errno));
  snprintf(path, sizeof(path), "%s/sim_gpio%d/pull", sysdir, l->off);
  l->pullfd = open(path, O_RDWR);
  if (l->pullfd < 0) die("open %s: %s", path, strerror(errno));
  char buf[32];
  ssize_t n = pread(l->pullfd, buf, sizeof(buf) - 1, 0);
  buf[n > 0 ? n : 0] = '\0';
  l->level = strncmp(buf, "pull-up", 7) == 0;
  l->irq = -1;
  l->irq_checked_ns = 0;
}

static int line_value(struct line* l) {
  char buf[8];
  ssize_t n = pread(l->valfd, buf, sizeof(buf), 0);
  if (n <= 0) die("read value of line %d: %s", l->off, strerror(errno));
  return buf[0] == '1';
}

/* Sets the pull; returns 1 if the kernel took the edge, 0 if nobody listens for it, -1 if an
 * event listener exists but no interrupt was seen within 500 ms. */
static int line_set(struct line* l, int level, int64_t* t_write) {
  if (l->off < 0) return 0;
  int64_t t = now_ns();
  if (l->irq < 0 && t - l->irq_checked_ns > 100000000) {
    l->irq = find_irq(l->off, 1);
    l->irq_checked_ns = t;
  }
  long before = l->irq >= 0 ? irq_count(l->irq) : -1;
  const char* v = level ? "pull-up" : "pull-down";
  if (t_write) *t_write = now_ns();
  if (pwrite(l->pullfd, v, strlen(v), 0) < 0)
    die("write pull of line %d: %s", l->off, strerror(errno));
  int changed = l->level != level;
  l->level = level;
  if (!changed || before < 0) return 0;
  int64_t deadline = now_ns() + 500000000;
  while (now_ns() < deadline) {
    if (irq_count(l->irq) > before) {
      sleep_ns(1000000); /* let the irq thread read the level before the next flip */
      return 1;
    }
    sleep_ns(100000);
  }
  l->irq = -1; /* the listener may be gone; look again next time */
  return -1;
}

/* ------------------------------------------------------------------------- hilctl pull */

static int cmd_pull(int argc, char** argv) {
  if (argc != 5) die("usage: hilctl pull SYSDIR OFFSET up|down");
  sysdir = argv[2];
  struct line l = {.name = "pull", .off = atoi(argv[3])};
  line_open(&l);
  l.level = -1; /* always write */
  int r = line_set(&l, strcmp(argv[4], "up") == 0, NULL);
  return r < 0 ? 1 : 0;
}

/* ------------------------------------------------------------------------- hilctl desk */

static volatile sig_atomic_t stop_requested;
static void on_term(int sig) {
  (void)sig;
  stop_requested = 1;
}

enum { L_UP, L_DOWN, L_A, L_B, L_LB, L_LT, L_HU, L_HD, L_COUNT };

struct desk {
  struct line l[L_COUNT];
  int out_active_low;
  long pos, bottom, top;
  long interval_ms;
  int coast;
  int stall;
  long slip_every; /* every Nth step of the desk emits no edge (lost counts), 0: none */
  long steps;
  const char* status_path;
  /* counters */
  long edges, unseen_edges, violations, up_runs, down_runs;
  int q; /* quadrature phase index: 0=00 1=10 2=11 3=01 (A,B); up counts up */
};

enum { kMaxOwed = 8 }; /* edges a late desk model emits at once */

static const int kQuadA[4] = {0, 1, 1, 0};
static const int kQuadB[4] = {0, 0, 1, 1};

static void desk_status(struct desk* d, int up, int down) {
  char tmp[400];
  snprintf(tmp, sizeof(tmp), "%s.tmp", d->status_path);
  FILE* f = fopen(tmp, "w");
  if (!f) die("write %s: %s", tmp, strerror(errno));
  fprintf(f,
          "pos=%ld\nup=%d\ndown=%d\nedges=%ld\nunseen=%ld\nviolations=%ld\nup_runs=%ld\n"
          "down_runs=%ld\nlimit_bottom=%d\nlimit_top=%d\n",
          d->pos, up, down, d->edges, d->unseen_edges, d->violations, d->up_runs, d->down_runs,
          d->l[L_LB].off >= 0 ? d->l[L_LB].level : 0, d->l[L_LT].off >= 0 ? d->l[L_LT].level : 0);
  fclose(f);
  rename(tmp, d->status_path);
}

static void desk_limits(struct desk* d) {
  int lb = d->pos <= d->bottom, lt = d->pos >= d->top;
  if (d->l[L_LB].off >= 0 && d->l[L_LB].level != lb) {
    line_set(&d->l[L_LB], lb, NULL);
    printf("%.3f limit_bottom %d pos=%ld\n", now_ns() / 1e6, lb, d->pos);
  }
  if (d->l[L_LT].off >= 0 && d->l[L_LT].level != lt) {
    line_set(&d->l[L_LT], lt, NULL);
    printf("%.3f limit_top %d pos=%ld\n", now_ns() / 1e6, lt, d->pos);
  }
}

static void desk_step(struct desk* d, int dir) {
  if ((dir > 0 && d->pos >= d->top) || (dir < 0 && d->pos <= d->bottom)) return; /* end stop */
  d->pos += dir;
  d->steps++;
  if (d->slip_every > 0 && d->steps % d->slip_every == 0) {
    printf("%.3f lost count pos=%ld\n", now_ns() / 1e6, d->pos); /* moved, not reported */
  } else {
    int nq = (d->q + (dir > 0 ? 1 : 3)) & 3;
    struct line* l = kQuadA[nq] != kQuadA[d->q] ? &d->l[L_A] : &d->l[L_B];
    int level = l == &d->l[L_A] ? kQuadA[nq] : kQuadB[nq];
    int64_t tw;
    int r = line_set(l, level, &tw);
    d->q = nq;
    d->edges++;
    if (r < 0) d->unseen_edges++;
    printf("%.3f edge %s=%d pos=%ld%s\n", tw / 1e6, l->name, level, d->pos, r < 0 ? " UNSEEN" : "");
  }
  desk_limits(d);
}

static int cmd_desk(int argc, char** argv) {
  struct desk d;
  memset(&d, 0, sizeof(d));
  const char* names[L_COUNT] = {"up", "down", "a", "b", "lb", "lt", "hu", "hd"};
  for (int i = 0; i < L_COUNT; i++) {
    d.l[i].name = names[i];
    d.l[i].off = -1;
  }
  d.pos = 640;
  d.bottom = 620;
  d.top = 760;
  d.interval_ms = 26;
  d.coast = 3;
  d.status_path = "/tmp/desk.status";
  for (int i = 2; i < argc; i++) {
    const char* k = argv[i];
    const char* v = i + 1 < argc ? argv[i + 1] : NULL;
    int used = 1;
    if (!strcmp(k, "--sys"))
      sysdir = v;
    else if (!strcmp(k, "--up"))
      d.l[L_UP].off = atoi(v);
    else if (!strcmp(k, "--down"))
      d.l[L_DOWN].off = atoi(v);
    else if (!strcmp(k, "--enc-a"))
      d.l[L_A].off = atoi(v);
    else if (!strcmp(k, "--enc-b"))
      d.l[L_B].off = atoi(v);
    else if (!strcmp(k, "--limit-bottom"))
      d.l[L_LB].off = atoi(v);
    else if (!strcmp(k, "--limit-top"))
      d.l[L_LT].off = atoi(v);
    else if (!strcmp(k, "--handset-up"))
      d.l[L_HU].off = atoi(v);
    else if (!strcmp(k, "--handset-down"))
      d.l[L_HD].off = atoi(v);
    else if (!strcmp(k, "--pos"))
      d.pos = atol(v);
    else if (!strcmp(k, "--bottom"))
      d.bottom = atol(v);
    else if (!strcmp(k, "--top"))
      d.top = atol(v);
    else if (!strcmp(k, "--interval-ms"))
      d.interval_ms = atol(v);
    else if (!strcmp(k, "--coast"))
      d.coast = atoi(v);
    else if (!strcmp(k, "--slip-every"))
      d.slip_every = atol(v);
    else if (!strcmp(k, "--status"))
      d.status_path = v;
    else if (!strcmp(k, "--outputs-active-low")) {
      d.out_active_low = 1;
      used = 0;
    } else if (!strcmp(k, "--stall")) {
      d.stall = 1;
      used = 0;
    } else
      die("desk: unknown option %s", k);
    if (used && !v) die("desk: %s needs a value", k);
    i += used;
  }
  if (!sysdir || d.l[L_UP].off < 0 || d.l[L_DOWN].off < 0 || d.l[L_A].off < 0 || d.l[L_B].off < 0)
    die("desk: --sys, --up, --down, --enc-a, --enc-b are required");
  for (int i = 0; i < L_COUNT; i++) line_open(&d.l[i]);
  /* the quadrature phase continues from the pulls an earlier run left */
  for (int q = 0; q < 4; q++)
    if (kQuadA[q] == d.l[L_A].level && kQuadB[q] == d.l[L_B].level) d.q = q;
  signal(SIGTERM, on_term);
  signal(SIGINT, on_term);
  setvbuf(stdout, NULL, _IOLBF, 0);
  /* The desk is hardware: a busy guest (the CPU-hog scenario) must starve deskd, never the
   * motor. Real-time priority, so the model keeps its pace whatever else runs. */
  struct sched_param sp = {.sched_priority = 50};
  int rt = sched_setscheduler(0, SCHED_FIFO, &sp) == 0;
  desk_limits(&d);

  int last_up = -1, last_down = -1, last_dir = 0, coast_left = 0;
  int64_t next_edge = 0;
  printf("%.3f start pos=%ld bottom=%ld top=%ld%s\n", now_ns() / 1e6, d.pos, d.bottom, d.top,
         rt ? " (SCHED_FIFO)" : " (not real-time)");
  while (!stop_requested) {
    int up = line_value(&d.l[L_UP]) != d.out_active_low;
    int down = line_value(&d.l[L_DOWN]) != d.out_active_low;
    int hu = d.l[L_HU].off >= 0 && line_value(&d.l[L_HU]);
    int hd = d.l[L_HD].off >= 0 && line_value(&d.l[L_HD]);
    if (up != last_up || down != last_down) {
      if (up && down) {
        d.violations++;
        printf("%.3f VIOLATION both outputs active\n", now_ns() / 1e6);
      }
      if (up && last_up == 0) d.up_runs++;
      if (down && last_down == 0) d.down_runs++;
      printf("%.3f outputs up=%d down=%d pos=%ld\n", now_ns() / 1e6, up, down, d.pos);
      last_up = up;
      last_down = down;
      desk_status(&d, up, down);
    }
    int dir = 0;
    if (!(up && down)) dir = (up || hu) ? 1 : (down || hd) ? -1 : 0;
    if (dir != 0 && (hu || hd) && (up || down) && dir != (up ? 1 : -1)) dir = 0;
    int64_t t = now_ns();
    if (dir != 0) {
      if (last_dir != dir) next_edge = t + d.interval_ms * 1000000;
      last_dir = dir;
      coast_left = d.coast;
    } else if (last_dir != 0 && coast_left > 0) {
      dir = last_dir; /* coasting after the motor stopped */
    } else {
      last_dir = 0;
    }
    if (dir != 0 && !d.stall && t >= next_edge) {
      long before = d.pos;
      /* A motor's speed does not depend on the CPU: a model that woke late (the host starved
       * qemu) emits the edges it owes, each still paced by the kernel taking the previous one,
       * up to kMaxOwed; further behind than that, the desk was really held up and slows. */
      for (int owed = 0; owed < kMaxOwed && t >= next_edge && last_dir != 0; owed++) {
        desk_step(&d, dir);
        if (!(up || down || hu || hd) && --coast_left == 0) last_dir = 0;
        next_edge += d.interval_ms * 1000000;
      }
      if (next_edge < t) next_edge = t + d.interval_ms * 1000000;
      if (d.pos != before) desk_status(&d, up, down);
    }
    sleep_ns(2000000);
  }
  desk_status(&d, last_up, last_down);
  printf("%.3f stop pos=%ld edges=%ld unseen=%ld violations=%ld\n", now_ns() / 1e6, d.pos, d.edges,
         d.unseen_edges, d.violations);
  return 0;
}

/* ------------------------------------------------------------------------ hilctl trace */

/* Parses "   comm-pid  [000] d..1.  12.345678: event: details" into time (us) and event. */
static int parse_trace_line(const char* s, double* t_us, const char** event) {
  const char* p = strstr(s, ": gpio_value: ");
  if (!p) p = strstr(s, ": irq_handler_entry: ");
  if (!p) p = strstr(s, ": sched_switch: ");
  if (!p) p = strstr(s, ": sched_wakeup: ");
  if (!p) return 0;
  const char* q = p;
  while (q > s && q[-1] != ' ') q--;
  *t_us = strtod(q, NULL) * 1e6;
  *event = p + 2;
  return 1;
}

static int cmd_trace(int argc, char** argv) {
  if (argc < 3)
    die("usage: hilctl trace FILE --base N --up OFF --down OFF [--irq N]... [--active-low] "
        "[--explain-us N]");
  const char* file = argv[2];
  int base = -1, up = -1, down = -1, active_low = 0, nirq = 0, irqs[16];
  double explain_us = -1;
  enum { kRing = 64 };
  static char ring[kRing][200];
  static double ring_t[kRing];
  int nring = 0;
  for (int i = 3; i < argc; i++) {
    if (!strcmp(argv[i], "--active-low")) {
      active_low = 1;
      continue;
    }
    if (i + 1 >= argc) die("trace: %s needs a value", argv[i]);
    if (!strcmp(argv[i], "--base"))
      base = atoi(argv[++i]);
    else if (!strcmp(argv[i], "--up"))
      up = atoi(argv[++i]);
    else if (!strcmp(argv[i], "--down"))
      down = atoi(argv[++i]);
    else if (!strcmp(argv[i], "--irq") && nirq < 16)
      irqs[nirq++] = atoi(argv[++i]);
    else if (!strcmp(argv[i], "--explain-us"))
      explain_us = atof(argv[++i]);
    else
      die("trace: unknown option %s", argv[i]);
  }
  if (base < 0 || up < 0 || down < 0) die("trace: --base, --up and --down are required");
  FILE* f = fopen(file, "r");
  if (!f) die("open %s: %s", file, strerror(errno));
  char line[1024];
  int lvl[2] = {-1, -1}; /* physical level of up/down, -1 unknown */
  int act[2] = {0, 0};   /* active? */
  double t_off[2] = {-1, -1};
  int last_active_dir = -1;
  double last_irq = -1;
  int last_irq_no = -1;
  long sets = 0, activations[2] = {0, 0}, both = 0;
  while (fgets(line, sizeof(line), f)) {
    double t;
    const char* ev;
    if (!parse_trace_line(line, &t, &ev)) continue;
    if (strstr(ev, "gpio_value") && strstr(ev, " get ")) continue;
    snprintf(ring[nring % kRing], sizeof(ring[0]), "%.198s", line);
    ring_t[nring % kRing] = t;
    nring++;
    int irq, gpio, value;
    char op[8];
    if (sscanf(ev, "irq_handler_entry: irq=%d", &irq) == 1) {
      for (int i = 0; i < nirq; i++)
        if (irqs[i] == irq) {
          last_irq = t;
          last_irq_no = irq;
        }
      continue;
    }
    if (sscanf(ev, "gpio_value: %d %7s %d", &gpio, op, &value) != 3 || strcmp(op, "set") != 0)
      continue;
    int which = gpio - base == up ? 0 : gpio - base == down ? 1 : -1;
    if (which < 0) continue;
    sets++;
    lvl[which] = value;
    int a = value != active_low;
    if (a && !act[which]) {
      activations[which]++;
      if (last_active_dir == 1 - which && t_off[1 - which] >= 0)
        printf("reversal_gap_us=%.0f\n", t - t_off[1 - which]);
      last_active_dir = which;
      printf("activate=%s t_us=%.0f\n", which ? "down" : "up", t);
    } else if (!a && act[which]) {
      t_off[which] = t;
      printf("deactivate=%s t_us=%.0f\n", which ? "down" : "up", t);
      if (last_irq >= 0) {
        printf("stop_after_irq_us=%.0f irq=%d\n", t - last_irq, last_irq_no);
        if (explain_us >= 0 && t - last_irq > explain_us)
          for (int k = nring > kRing ? nring - kRing : 0; k < nring; k++)
            if (ring_t[k % kRing] >= last_irq) printf("explain: %s", ring[k % kRing]);
      }
    }
    act[which] = a;
    if (act[0] && act[1]) {
      both++;
      printf("BOTH_ACTIVE t_us=%.0f\n", t);
    }
  }
  fclose(f);
  printf("sets=%ld\nup_activations=%ld\ndown_activations=%ld\nboth_active=%ld\n", sets,
         activations[0], activations[1], both);
  printf("last_up_level=%d\nlast_down_level=%d\n", lvl[0], lvl[1]);
  return 0;
}

int main(int argc, char** argv) {
  if (argc >= 2 && !strcmp(argv[1], "now")) {
    printf("%.3f\n", now_ns() / 1e6);
    return 0;
  }
  if (argc >= 2 && !strcmp(argv[1], "pull")) return cmd_pull(argc, argv);
  if (argc == 3 && !strcmp(argv[1], "irq")) { /* the irq of a gpio-sim line, -1 if unmapped */
    printf("%d\n", find_irq(atoi(argv[2]), 0));
    return 0;
  }
  if (argc >= 2 && !strcmp(argv[1], "desk")) return cmd_desk(argc, argv);
  if (argc >= 2 && !strcmp(argv[1], "trace")) return cmd_trace(argc, argv);
  fprintf(stderr, "usage: hilctl now | pull DIR OFF up|down | desk ... | trace FILE ...\n");
  return 2;
}
