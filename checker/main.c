// SPDX-License-Identifier: GPL-2.0-or-later
/* aic-guestcheck: command line and dispatch. */
#include <errno.h>
#include <getopt.h>
#include <langinfo.h>
#include <locale.h>
#include <stdarg.h>
#include <stdio.h>
#include <unistd.h>

#include <time.h>

#include "bundle/bundle.h"
#include "datadir.h"
#include "facts.h"
#include "image/image.h"
#include "registry.h"
#include "report/report.h"
#include "wait.h"

#define PROG "aic-guestcheck"

/* Every message of ours starts with the one program name, whatever argv[0] was. */
static void _printf_(1, 2) errmsg(const char *fmt, ...)
{
	va_list ap;

	fputs(PROG ": ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

static void usage(FILE *out)
{
	fputs("Usage: aic-guestcheck [check] [options]\n"
	      "       aic-guestcheck bundle [-o FILE|DIR] [--case-id ID] [--redact] [--force] [--sysroot DIR]\n"
	      "                             [--device-id VVVV:DDDD]\n"
	      "       aic-guestcheck image DIR [options]   judge a guest root before it boots\n"
	      "       aic-guestcheck list-checks [--format text|json]\n"
	      "(check, the default subcommand, may be left out)\n"
	      "\n"
	      "Says whether this Linux guest is ready to use passed-through Qualcomm\n"
	      "Cloud AI 100/080 cards, with the evidence and what to change.\n"
	      "\n"
	      "Options:\n"
	      "      --sysroot DIR       read files below DIR instead of / (a fixture or support bundle;\n"
	      "                          a bundle archive is unpacked privately and replayed)\n"
	      "      --format FMT        text (default), json, oneline, junit, github, prometheus, nfd\n"
	      "  -o, --output FILE       write the report to FILE atomically (bundle: the .tar.gz or the\n"
	      "                          directory for it, default /var/tmp; - for stdout)\n"
	      "      --case-id ID        bundle: put the support case ID in the name\n"
	      "      --redact            bundle: replace host names, addresses, serials and user names\n"
	      "                          (replayed before it is kept: refused if a verdict would change)\n"
	      "      --force             bundle: replace an existing file\n"
	      "      --report FMT:FILE   also write the report in FMT to FILE atomically (repeatable)\n"
	      "      --only ID,...       run only these checks\n"
	      "      --skip ID,...       do not run these checks\n"
	      "      --strict            a warning counts as not ready\n"
	      "      --expect-devices N  fail unless exactly N cards are present\n"
	      "      --device-id VVVV:DDDD  also treat this PCI ID as a card (new variants, tests)\n"
	      "      --msi-vectors N     vectors each card needs (default: what its qaic driver asks for)\n"
	      "      --data-dir DIR      the shipped data (default: <bindir>/" AICG_DATADIR_REL ")\n"
	      "      --wait SECONDS      first wait up to SECONDS for every card to bind and come online\n"
	      "  -q, --quiet             only the verdict and the checks that did not pass\n"
	      "  -v, --verbose           evidence for every check, passed ones too\n"
	      "      --color[=WHEN]      colour the text report: auto (default), always, never\n"
	      "      --no-color          same as --color=never (also: NO_COLOR set, TERM=dumb)\n"
	      "  -h, --help              this help\n"
	      "  -V, --version           version\n"
	      "\n"
	      "Exit status: 0 ready, 1 not ready, 2 undetermined (a check could not be decided),\n"
	      "3 usage or internal error.\n",
	      out);
}

/* The subcommands, and the operands each takes. Add a row to add one. */
#define CMD(c) (1u << (c))
#define ALL_CMDS (CMD(_GC_CMD_MAX) - 1)
static const struct subcommand {
	const char *name;
	enum gc_command cmd;
} subcommands[] = {
	{ "check", GC_CMD_CHECK },
	{ "list-checks", GC_CMD_LIST },
	{ "bundle", GC_CMD_BUNDLE },
	{ "image", GC_CMD_IMAGE },  /* one operand: the directory */
};

enum {
	OPT_SYSROOT = 256, OPT_FORMAT, OPT_ONLY, OPT_SKIP, OPT_STRICT, OPT_EXPECT, OPT_DEVICE_ID,
	OPT_NO_COLOR, OPT_COLOR, OPT_MSI_VECTORS, OPT_DATA_DIR, OPT_REPORT, OPT_WAIT,
	OPT_CASE_ID, OPT_REDACT, OPT_FORCE,
};

/*
 * The options, and the subcommands each applies to: an option given to a
 * subcommand it does not apply to is a usage error, never silently ignored.
 * The bundle carries a report, so what shapes the report applies to it too.
 */
#define REPORT_SHAPING (CMD(GC_CMD_CHECK) | CMD(GC_CMD_BUNDLE))
#define IMAGE CMD(GC_CMD_IMAGE)
static const struct option_def {
	struct option lo;
	unsigned cmds;
} option_defs[] = {
	{ { "sysroot", required_argument, NULL, OPT_SYSROOT }, REPORT_SHAPING },
	{ { "format", required_argument, NULL, OPT_FORMAT }, CMD(GC_CMD_CHECK) | CMD(GC_CMD_LIST) | IMAGE },
	{ { "output", required_argument, NULL, 'o' }, CMD(GC_CMD_CHECK) | CMD(GC_CMD_BUNDLE) | IMAGE },
	{ { "report", required_argument, NULL, OPT_REPORT }, CMD(GC_CMD_CHECK) | IMAGE },
	{ { "case-id", required_argument, NULL, OPT_CASE_ID }, CMD(GC_CMD_BUNDLE) },
	{ { "redact", no_argument, NULL, OPT_REDACT }, CMD(GC_CMD_BUNDLE) },
	{ { "force", no_argument, NULL, OPT_FORCE }, CMD(GC_CMD_BUNDLE) },
	{ { "only", required_argument, NULL, OPT_ONLY }, REPORT_SHAPING | IMAGE },
	{ { "skip", required_argument, NULL, OPT_SKIP }, REPORT_SHAPING | IMAGE },
	{ { "strict", no_argument, NULL, OPT_STRICT }, REPORT_SHAPING | IMAGE },
	{ { "expect-devices", required_argument, NULL, OPT_EXPECT }, REPORT_SHAPING },
	{ { "device-id", required_argument, NULL, OPT_DEVICE_ID }, REPORT_SHAPING },
	{ { "msi-vectors", required_argument, NULL, OPT_MSI_VECTORS }, REPORT_SHAPING },
	{ { "data-dir", required_argument, NULL, OPT_DATA_DIR }, REPORT_SHAPING | IMAGE },
	{ { "wait", required_argument, NULL, OPT_WAIT }, REPORT_SHAPING },
	{ { "quiet", no_argument, NULL, 'q' }, CMD(GC_CMD_CHECK) | IMAGE },
	{ { "verbose", no_argument, NULL, 'v' }, CMD(GC_CMD_CHECK) | IMAGE },
	{ { "color", optional_argument, NULL, OPT_COLOR }, CMD(GC_CMD_CHECK) | IMAGE },
	{ { "no-color", no_argument, NULL, OPT_NO_COLOR }, CMD(GC_CMD_CHECK) | IMAGE },
	{ { "help", no_argument, NULL, 'h' }, ALL_CMDS },
	{ { "version", no_argument, NULL, 'V' }, ALL_CMDS },
};
#define N_OPTIONS (sizeof(option_defs) / sizeof(option_defs[0]))

/* The formats each subcommand can render. */
static const unsigned format_cmds[_GC_FORMAT_MAX] = {
	[GC_FORMAT_TEXT] = CMD(GC_CMD_CHECK) | CMD(GC_CMD_LIST) | IMAGE,
	[GC_FORMAT_JSON] = CMD(GC_CMD_CHECK) | CMD(GC_CMD_LIST) | IMAGE,
	[GC_FORMAT_ONELINE] = CMD(GC_CMD_CHECK) | IMAGE,
	[GC_FORMAT_JUNIT] = CMD(GC_CMD_CHECK) | IMAGE,
	[GC_FORMAT_GITHUB] = CMD(GC_CMD_CHECK) | IMAGE,
	[GC_FORMAT_PROMETHEUS] = CMD(GC_CMD_CHECK),
	[GC_FORMAT_NFD] = CMD(GC_CMD_CHECK),
};

static int split_ids(const char *arg, char ***v, size_t *n)
{
	char *copy = xstrdup(arg), *save = NULL, *tok;
	int err = 0;

	for (tok = strtok_r(copy, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
		if (!gc_check_find(tok) && !gc_image_check_find(tok)) {
			errmsg("unknown check ID '%s' (see list-checks)", tok);
			err = -EINVAL;
			break;
		}
		*(char **)xappend(v, n, sizeof(char *)) = xstrdup(tok);
	}
	free(copy);
	return err;
}

static int parse_device_id(const char *arg, struct gc_pci_id *id)
{
	unsigned v, d;
	char tail;

	if (sscanf(arg, "%4x:%4x%c", &v, &d, &tail) != 2)
		return -EINVAL;
	*id = (struct gc_pci_id){ (uint16_t)v, (uint16_t)d, "PCI function (--device-id)" };
	return 0;
}

static int parse_int(const char *arg, int *ret)
{
	char *end;
	long v;

	errno = 0;
	v = strtol(arg, &end, 10);
	if (errno || *end || end == arg || v < 0 || v > 4096)
		return -EINVAL;
	*ret = (int)v;
	return 0;
}

static int parse_format(const char *arg, enum gc_format *f)
{
	char names[128];

	if (gc_format_parse(arg, f) == 0)
		return 0;
	errmsg("--format takes one of: %s", gc_format_names(names, sizeof(names)));
	return -EINVAL;
}

static int parse_report(const char *arg, struct gc_options *o)
{
	const char *colon = strchr(arg, ':');
	struct gc_extra_report *r;
	char name[32];

	if (!colon || colon == arg || !colon[1] || (size_t)(colon - arg) >= sizeof(name)) {
		errmsg("--report takes FORMAT:FILE");
		return -EINVAL;
	}
	memcpy(name, arg, (size_t)(colon - arg));
	name[colon - arg] = '\0';
	r = xappend(&o->reports, &o->n_reports, sizeof(*r));
	r->path = colon + 1;
	return parse_format(name, &r->format);
}

static int parse_color(const char *arg, enum gc_color *c)
{
	if (!arg || streq(arg, "always") || streq(arg, "yes") || streq(arg, "force"))
		*c = GC_COLOR_ALWAYS;
	else if (streq(arg, "auto") || streq(arg, "tty") || streq(arg, "if-tty"))
		*c = GC_COLOR_AUTO;
	else if (streq(arg, "never") || streq(arg, "no") || streq(arg, "none"))
		*c = GC_COLOR_NEVER;
	else {
		errmsg("--color takes auto, always or never");
		return -EINVAL;
	}
	return 0;
}

static const char *command_name(enum gc_command cmd)
{
	size_t i;

	for (i = 0; i < sizeof(subcommands) / sizeof(subcommands[0]); i++)
		if (subcommands[i].cmd == cmd)
			return subcommands[i].name;
	return "?";
}

static const struct option_def *option_by_val(int val)
{
	size_t i;

	for (i = 0; i < N_OPTIONS; i++)
		if (option_defs[i].lo.val == val)
			return &option_defs[i];
	return NULL;
}

static const char *option_spelling(const struct option_def *d, char *buf, size_t len)
{
	if (d->lo.val < 256)
		snprintf(buf, len, "-%c/--%s", d->lo.val, d->lo.name);
	else
		snprintf(buf, len, "--%s", d->lo.name);
	return buf;
}

/* Colour only for a text report to a terminal that can show it, unless forced. */
static bool decide_color(const struct gc_options *o)
{
	const char *no_color = getenv("NO_COLOR"), *term = getenv("TERM");

	if (o->format != GC_FORMAT_TEXT || o->color_when == GC_COLOR_NEVER)
		return false;
	if (o->color_when == GC_COLOR_ALWAYS)
		return true;
	if ((no_color && *no_color) || (term && streq(term, "dumb")))
		return false;
	return !o->output && isatty(STDOUT_FILENO);
}

static int parse_options(int argc, char **argv, struct gc_options *o)
{
	struct option longopts[N_OPTIONS + 1];
	const struct option_def *seen[N_OPTIONS];
	size_t i, n_seen = 0;
	bool format_given = false;
	int c;

	*o = (struct gc_options){ .expect_devices = -1, .wait_seconds = -1 };
	for (i = 0; i < N_OPTIONS; i++)
		longopts[i] = option_defs[i].lo;
	longopts[N_OPTIONS] = (struct option){ 0 };

	/* getopt's own messages would name argv[0]; ours name the program. */
	opterr = 0;
	while ((c = getopt_long(argc, argv, ":o:qvhV", longopts, NULL)) != -1) {
		const struct option_def *d = option_by_val(c);

		if (d) {
			for (i = 0; i < n_seen && seen[i] != d; i++)
				;
			if (i == n_seen)
				seen[n_seen++] = d;
		}
		switch (c) {
		case OPT_SYSROOT:
			o->sysroot = optarg;
			break;
		case OPT_FORMAT:
			if (parse_format(optarg, &o->format))
				return -EINVAL;
			format_given = true;
			break;
		case OPT_REPORT:
			if (parse_report(optarg, o))
				return -EINVAL;
			break;
		case OPT_ONLY:
			if (split_ids(optarg, &o->only, &o->n_only))
				return -EINVAL;
			break;
		case OPT_SKIP:
			if (split_ids(optarg, &o->skip, &o->n_skip))
				return -EINVAL;
			break;
		case OPT_STRICT:
			o->strict = true;
			break;
		case OPT_EXPECT:
			/* 0 would make "no card" pass: a guest without its card is never ready. */
			if (parse_int(optarg, &o->expect_devices) || o->expect_devices < 1) {
				errmsg("--expect-devices takes a number of cards, 1 or more");
				return -EINVAL;
			}
			break;
		case OPT_DEVICE_ID:
			if (parse_device_id(optarg, &o->extra_id)) {
				errmsg("--device-id takes VVVV:DDDD in hex");
				return -EINVAL;
			}
			o->have_extra_id = true;
			break;
		case OPT_MSI_VECTORS: {
			int v;

			if (parse_int(optarg, &v) || v < 1 || v > 2048) {
				errmsg("--msi-vectors takes a number from 1 to 2048");
				return -EINVAL;
			}
			o->msi_vectors = (unsigned)v;
			break;
		}
		case OPT_WAIT:
			if (parse_int(optarg, &o->wait_seconds) || o->wait_seconds > 3600) {
				errmsg("--wait takes a number of seconds from 0 to 3600");
				return -EINVAL;
			}
			break;
		case OPT_DATA_DIR:
			o->data_dir = optarg;
			break;
		case OPT_COLOR:
			if (parse_color(optarg, &o->color_when))
				return -EINVAL;
			break;
		case OPT_NO_COLOR:
			o->color_when = GC_COLOR_NEVER;
			break;
		case 'o':
			o->output = optarg;
			break;
		case OPT_CASE_ID:
			if (!gc_bundle_case_id_valid(optarg)) {
				errmsg("--case-id takes 1 to 64 of A-Z a-z 0-9 . _ - (not starting with . or -)");
				return -EINVAL;
			}
			o->case_id = optarg;
			break;
		case OPT_REDACT:
			o->redact = true;
			break;
		case OPT_FORCE:
			o->force = true;
			break;
		case 'q':
			o->verbosity = -1;
			break;
		case 'v':
			o->verbosity = 1;
			break;
		case 'h':
			usage(stdout);
			exit(0);
		case 'V':
			printf(PROG " %s (schema %s)\n", PROJECT_VERSION, GC_SCHEMA);
			exit(0);
		case ':':
			if (optopt > 0 && optopt < 256)
				errmsg("option '-%c' needs an argument", optopt);
			else
				errmsg("option '%s' needs an argument", argv[optind - 1]);
			fputs("Try '" PROG " --help'.\n", stderr);
			return -EINVAL;
		default:
			if (optopt > 0 && optopt < 256)
				errmsg("unknown option '-%c'", optopt);
			else
				errmsg("unknown option '%s'", argv[optind - 1]);
			fputs("Try '" PROG " --help'.\n", stderr);
			return -EINVAL;
		}
	}

	o->cmd = GC_CMD_CHECK;
	if (optind < argc) {
		for (i = 0; i < sizeof(subcommands) / sizeof(subcommands[0]); i++)
			if (streq(argv[optind], subcommands[i].name)) {
				o->cmd = subcommands[i].cmd;
				optind++;
				break;
			}
	}
	if (o->cmd == GC_CMD_IMAGE) {
		if (optind == argc) {
			errmsg("image takes the directory of a guest root");
			return -EINVAL;
		}
		o->sysroot = argv[optind++];
	}
	if (optind < argc) {
		errmsg("unexpected argument '%s'", argv[optind]);
		fputs("Try '" PROG " --help'.\n", stderr);
		return -EINVAL;
	}
	for (i = 0; i < n_seen; i++) {
		char buf[64];

		if (!(seen[i]->cmds & CMD(o->cmd))) {
			errmsg("%s does not apply to %s", option_spelling(seen[i], buf, sizeof(buf)),
			       command_name(o->cmd));
			return -EINVAL;
		}
	}
	if (format_given && !(format_cmds[o->format] & CMD(o->cmd))) {
		errmsg("--format %s does not apply to %s", gc_format_name(o->format), command_name(o->cmd));
		return -EINVAL;
	}
	o->color = decide_color(o);
	return 0;
}

static void free_options(struct gc_options *o)
{
	gc_strv_free(o->only, o->n_only);
	gc_strv_free(o->skip, o->n_skip);
	free(o->reports);
}

static int list_checks(const struct gc_options *o)
{
	size_t i;

	if (o->format == GC_FORMAT_JSON)
		return gc_report_checks_json(stdout);
	for (i = 0; i < gc_n_checks; i++)
		printf("%-28s %s\n", gc_checks[i].id, gc_checks[i].title);
	for (i = 0; gc_image_only_check(i); i++)
		printf("%-28s %s (image only)\n", gc_image_only_check(i)->id, gc_image_only_check(i)->title);
	return 0;
}

static char *render_json(const struct gc_report *rep)
{
	char *text = NULL;
	size_t len = 0;
	FILE *m = open_memstream(&text, &len);

	if (!m)
		return NULL;
	gc_report_render(m, GC_FORMAT_JSON, rep);
	fclose(m);
	return text;
}

/* What a bundle's replay must give again: this run's options, tables and verdicts. */
struct replay_want {
	const struct gc_options *o;
	const char *data_dir;
	const struct gc_result *res;
	size_t n;
};

/* gc_bundle_verify_fn: replay the archive as --sysroot would and compare every verdict. */
static int replay_verdicts(const char *archive, void *ctx, char **why)
{
	const struct replay_want *w = ctx;
	struct gc_bundle_sysroot sysroot;
	struct gc_facts facts;
	struct gc_result *res;
	struct gc_root root;
	size_t i, n = 0;
	int err;

	if ((err = gc_bundle_sysroot_open(archive, &sysroot, why)))
		return err;
	if ((err = gc_root_open(&root, sysroot.dir))) {
		gc_bundle_sysroot_close(&sysroot);
		return err;
	}
	gc_facts_gather(&root, w->o->have_extra_id ? &w->o->extra_id : NULL, w->data_dir, &facts);
	res = xcalloc(gc_n_checks, sizeof(*res));
	n = gc_run_checks(&facts, w->o, res);
	for (i = 0; i < n || i < w->n; i++) {
		if (i < n && i < w->n && res[i].check == w->res[i].check && res[i].status == w->res[i].status)
			continue;
		err = -EPROTO;
		if (i < n && i < w->n)
			*why = xasprintf("%s would replay as %s, not %s", w->res[i].check->id,
					 gc_status_name(res[i].status), gc_status_name(w->res[i].status));
		else
			*why = xstrdup("another set of checks");
		break;
	}
	for (i = 0; i < n; i++)
		gc_result_free(&res[i]);
	free(res);
	gc_facts_free(&facts);
	gc_root_close(&root);
	gc_bundle_sysroot_close(&sysroot);
	return err;
}

static int bundle(const struct gc_options *o, const struct gc_root *root, const struct gc_record *rec,
		  const struct gc_facts *facts, const struct gc_report *rep, const char *data_dir)
{
	struct replay_want want = { o, data_dir, rep->res, rep->n };
	struct gc_bundle_opts bo = {
		.output = o->output, .case_id = o->case_id, .force = o->force, .redact = o->redact,
		/* Redaction rewrites what the checks read: it must not change what they say. */
		.verify = o->redact ? replay_verdicts : NULL, .verify_ctx = &want,
	};
	struct gc_bundle_info info;
	const char *msg;
	char *json = render_json(rep);
	int err;

	bo.report_json = json;
	err = gc_bundle_write(root, rec, facts, &bo, &info, &msg);
	free(json);
	if (err) {
		if (info.why)
			errmsg("bundle %s: %s", msg, info.why);
		else
			errmsg("bundle %s: %s", msg ? msg : "failed", strerror(-err));
		gc_bundle_info_free(&info);
		return GC_EXIT_USAGE;
	}
	fprintf(stderr, PROG ": wrote the bundle (%zu files", info.files);
	if (info.unreadable)
		fprintf(stderr, ", %zu paths unreadable without root", info.unreadable);
	if (info.not_captured || info.cut)
		fprintf(stderr, ", %zu not captured, %zu cut", info.not_captured, info.cut);
	fputs(")\n", stderr);
	if (info.map_path)
		errmsg("redaction map (keep it private, do not send it): %s", info.map_path);
	/* The one thing on stdout, for scripts: where the bundle is. */
	if (info.path)
		printf("%s\n", info.path);
	gc_bundle_info_free(&info);
	return 0;
}

/* The report to stdout or -o FILE, then every --report FORMAT:FILE; each file whole or not at all. */
static int write_reports(const struct gc_options *o, const struct gc_report *rep)
{
	int ret = rep->exit_code, err;
	size_t i;

	if (o->output && !streq(o->output, "-")) {
		err = gc_report_write_file(o->output, o->format, rep);
		if (err) {
			errmsg("cannot write %s: %s", o->output, strerror(-err));
			ret = GC_EXIT_USAGE;
		}
	} else {
		gc_report_render(stdout, o->format, rep);
	}
	for (i = 0; i < o->n_reports; i++) {
		err = gc_report_write_file(o->reports[i].path, o->reports[i].format, rep);
		if (err) {
			errmsg("cannot write %s: %s", o->reports[i].path, strerror(-err));
			ret = GC_EXIT_USAGE;
		}
	}
	return ret;
}


/* The data directory, found as --data-dir, the environment or the install says; < 0 is a usage error. */
static int data_dir_open(const struct gc_options *o, char **ret)
{
	const char *how;
	int err = gc_datadir_find(o->data_dir, ret, &how);

	if (err < 0) {
		errmsg("data directory %s (%s): %s", *ret, how, strerror(-err));
		free(*ret);
		*ret = NULL;
		return err;
	}
	if (err > 0)
		errmsg("warning: no data directory at %s: the shipped tables are not read "
		       "(give --data-dir DIR or AIC_GUESTCHECK_DATA_DIR=DIR)", *ret);
	return 0;
}

static int run(const struct gc_options *o)
{
	struct gc_record rec = { 0 };
	struct gc_wait wait = { 0 };
	struct gc_result *res;
	struct gc_report rep;
	struct gc_facts facts;
	struct gc_bundle_sysroot sysroot;
	struct gc_root root;
	char *data_dir, *msg = NULL;
	size_t i, n;
	int err, ret;

	if (data_dir_open(o, &data_dir) < 0)
		return GC_EXIT_USAGE;
	err = gc_bundle_sysroot_open(o->sysroot, &sysroot, &msg);
	if (!err && (err = gc_root_open(&root, sysroot.dir)))
		msg = xasprintf("cannot open sysroot %s: %s", o->sysroot, strerror(-err));
	if (err) {
		errmsg("%s", msg);
		free(msg);
		gc_bundle_sysroot_close(&sysroot);
		free(data_dir);
		return GC_EXIT_USAGE;
	}
	if (o->wait_seconds >= 0)
		gc_wait_settle(&root, o, &wait);
	if (o->cmd == GC_CMD_BUNDLE)
		gc_root_record(&root, &rec);
	gc_facts_gather(&root, o->have_extra_id ? &o->extra_id : NULL, data_dir, &facts);
	if (sysroot.tmp) {
		/* Name the archive the user gave, not the private directory it was unpacked into. */
		free(facts.sysroot);
		facts.sysroot = xstrdup(o->sysroot);
	}

	res = xcalloc(gc_n_checks, sizeof(*res));
	n = gc_run_checks(&facts, o, res);
	rep = (struct gc_report){
		.facts = &facts, .opts = o, .res = res, .n = n,
		.exit_code = gc_exit_code(res, n, o->strict),
		.when = time(NULL), .wait = &wait,
	};
	if (o->cmd == GC_CMD_BUNDLE) {
		gc_root_record(&root, NULL);
		ret = bundle(o, &root, &rec, &facts, &rep, data_dir);
	} else {
		ret = write_reports(o, &rep);
	}

	for (i = 0; i < n; i++)
		gc_result_free(&res[i]);
	free(res);
	gc_facts_free(&facts);
	gc_wait_free(&wait);
	gc_record_free(&rec);
	gc_root_close(&root);
	free(data_dir);
	gc_bundle_sysroot_close(&sysroot);
	return ret;
}

/* aic-guestcheck image DIR: the image's facts, its checks, the same reports. */
static int run_image(const struct gc_options *o)
{
	struct gc_facts none = { 0 };
	struct gc_result *res;
	struct gc_report rep;
	struct gc_image im;
	struct gc_root root;
	char *data_dir;
	size_t i, n;
	int err, ret;

	if (data_dir_open(o, &data_dir) < 0)
		return GC_EXIT_USAGE;
	err = gc_root_open(&root, o->sysroot);
	if (err) {
		errmsg("cannot open image %s: %s", o->sysroot, strerror(-err));
		free(data_dir);
		return GC_EXIT_USAGE;
	}
	gc_image_gather(&root, data_dir, &im);
	res = xcalloc(gc_image_n_results(), sizeof(*res));
	n = gc_image_run_checks(&im, o, res);
	/* Renderers that read live facts see none (no platform, no cards) but where: the image's own. */
	none.sysroot = im.dir;
	gc_host_probe(&root, &none.host);
	none.os = im.os;  /* borrowed: freed with im */
	none.mods.release = gc_image_default(&im) ? gc_image_default(&im)->release : NULL;
	rep = (struct gc_report){
		.facts = &none, .image = &im, .opts = o, .res = res, .n = n,
		.exit_code = gc_exit_code(res, n, o->strict), .when = time(NULL),
	};
	ret = write_reports(o, &rep);
	for (i = 0; i < n; i++)
		gc_result_free(&res[i]);
	free(res);
	gc_host_free(&none.host);
	gc_image_free(&im);
	gc_root_close(&root);
	free(data_dir);
	return ret;
}

int main(int argc, char **argv)
{
	struct gc_options o;
	int ret;

	if (parse_options(argc, argv, &o) < 0) {
		free_options(&o);
		return GC_EXIT_USAGE;
	}
	/* The text report speaks UTF-8 only to a locale that reads it. */
	setlocale(LC_CTYPE, "");
	o.ascii = !streq(nl_langinfo(CODESET), "UTF-8");
	ret = o.cmd == GC_CMD_LIST ? list_checks(&o) : o.cmd == GC_CMD_IMAGE ? run_image(&o) : run(&o);
	free_options(&o);
	/* A report that did not reach its reader is no report (util-linux close_stdout). */
	if (fflush(stdout) != 0 || ferror(stdout)) {
		errmsg("write error: %s", strerror(errno));
		return GC_EXIT_USAGE;
	}
	return ret;
}
