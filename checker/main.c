// SPDX-License-Identifier: GPL-2.0-or-later
/* aic-guestcheck: command line and dispatch. */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <unistd.h>

#include <time.h>

#include "bundle.h"
#include "facts.h"
#include "registry.h"
#include "report.h"

static void usage(FILE *out)
{
	fputs("Usage: aic-guestcheck [check] [options]\n"
	      "       aic-guestcheck bundle [-o FILE] [--sysroot DIR]\n"
	      "       aic-guestcheck list-checks\n"
	      "\n"
	      "Says whether this Linux guest is ready to use passed-through Qualcomm\n"
	      "Cloud AI 100/080 cards, with the evidence and what to change.\n"
	      "\n"
	      "Options:\n"
	      "      --sysroot DIR       read files below DIR instead of / (a fixture or support bundle)\n"
	      "      --format FMT        text (default) or json\n"
	      "      --only ID,...       run only these checks\n"
	      "      --skip ID,...       do not run these checks\n"
	      "      --strict            a warning counts as not ready\n"
	      "      --expect-devices N  fail unless exactly N cards are present\n"
	      "      --device-id VVVV:DDDD  also treat this PCI ID as a card (new variants, tests)\n"
	      "      --msi-vectors N     vectors each card needs (default: what its qaic driver asks for)\n"
	      "      --data-dir DIR      the shipped data directory (default " AICG_DATADIR ")\n"
	      "  -q, --quiet             only the verdict and the checks that did not pass\n"
	      "  -v, --verbose           evidence for every check, passed ones too\n"
	      "      --no-color          no colour (also: NO_COLOR set)\n"
	      "  -o, --output FILE       bundle: where to write the .tar.gz (- for stdout)\n"
	      "  -h, --help              this help\n"
	      "  -V, --version           version\n"
	      "\n"
	      "Exit status: 0 ready, 1 not ready, 2 undetermined (a check could not be decided),\n"
	      "3 usage or internal error.\n",
	      out);
}

static int split_ids(const char *arg, char ***v, size_t *n)
{
	char *copy = xstrdup(arg), *save = NULL, *tok;
	int err = 0;

	for (tok = strtok_r(copy, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
		if (!gc_check_find(tok)) {
			fprintf(stderr, "aic-guestcheck: unknown check ID '%s' (see list-checks)\n", tok);
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

enum {
	OPT_SYSROOT = 256, OPT_FORMAT, OPT_ONLY, OPT_SKIP, OPT_STRICT, OPT_EXPECT, OPT_DEVICE_ID,
	OPT_NO_COLOR, OPT_MSI_VECTORS, OPT_DATA_DIR,
};

enum gc_command { CMD_CHECK, CMD_LIST, CMD_BUNDLE };

static int parse_options(int argc, char **argv, struct gc_options *o, enum gc_command *cmd)
{
	static const struct option longopts[] = {
		{ "sysroot", required_argument, NULL, OPT_SYSROOT },
		{ "format", required_argument, NULL, OPT_FORMAT },
		{ "only", required_argument, NULL, OPT_ONLY },
		{ "skip", required_argument, NULL, OPT_SKIP },
		{ "strict", no_argument, NULL, OPT_STRICT },
		{ "expect-devices", required_argument, NULL, OPT_EXPECT },
		{ "device-id", required_argument, NULL, OPT_DEVICE_ID },
		{ "no-color", no_argument, NULL, OPT_NO_COLOR },
		{ "msi-vectors", required_argument, NULL, OPT_MSI_VECTORS },
		{ "data-dir", required_argument, NULL, OPT_DATA_DIR },
		{ "output", required_argument, NULL, 'o' },
		{ "quiet", no_argument, NULL, 'q' },
		{ "verbose", no_argument, NULL, 'v' },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ 0 },
	};
	bool no_color = getenv("NO_COLOR") && *getenv("NO_COLOR");
	int c;

	*o = (struct gc_options){ .expect_devices = -1, .data_dir = AICG_DATADIR };
	while ((c = getopt_long(argc, argv, "o:qvhV", longopts, NULL)) != -1) {
		switch (c) {
		case OPT_SYSROOT:
			o->sysroot = optarg;
			break;
		case OPT_FORMAT:
			if (streq(optarg, "text"))
				o->format = GC_FORMAT_TEXT;
			else if (streq(optarg, "json"))
				o->format = GC_FORMAT_JSON;
			else {
				fprintf(stderr, "aic-guestcheck: --format takes text or json\n");
				return -EINVAL;
			}
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
			if (parse_int(optarg, &o->expect_devices)) {
				fprintf(stderr, "aic-guestcheck: --expect-devices takes a number\n");
				return -EINVAL;
			}
			break;
		case OPT_DEVICE_ID:
			if (parse_device_id(optarg, &o->extra_id)) {
				fprintf(stderr, "aic-guestcheck: --device-id takes VVVV:DDDD in hex\n");
				return -EINVAL;
			}
			o->have_extra_id = true;
			break;
		case OPT_MSI_VECTORS: {
			int v;

			if (parse_int(optarg, &v) || v < 1 || v > 2048) {
				fprintf(stderr, "aic-guestcheck: --msi-vectors takes a number from 1 to 2048\n");
				return -EINVAL;
			}
			o->msi_vectors = (unsigned)v;
			break;
		}
		case OPT_DATA_DIR:
			o->data_dir = optarg;
			break;
		case OPT_NO_COLOR:
			no_color = true;
			break;
		case 'o':
			o->output = optarg;
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
			printf("aic-guestcheck %s (schema %s)\n", PROJECT_VERSION, GC_SCHEMA);
			exit(0);
		default:
			fputs("Try 'aic-guestcheck --help'.\n", stderr);
			return -EINVAL;
		}
	}
	*cmd = CMD_CHECK;
	if (optind < argc && streq(argv[optind], "list-checks")) {
		*cmd = CMD_LIST;
		optind++;
	} else if (optind < argc && streq(argv[optind], "bundle")) {
		*cmd = CMD_BUNDLE;
		optind++;
	} else if (optind < argc && streq(argv[optind], "check")) {
		optind++;
	}
	if (o->output && *cmd != CMD_BUNDLE) {
		fprintf(stderr, "aic-guestcheck: -o goes with bundle\n");
		return -EINVAL;
	}
	if (optind < argc) {
		fprintf(stderr, "aic-guestcheck: unexpected argument '%s'\nTry 'aic-guestcheck --help'.\n",
			argv[optind]);
		return -EINVAL;
	}
	o->color = !no_color && o->format == GC_FORMAT_TEXT && isatty(STDOUT_FILENO);
	return 0;
}

static void free_options(struct gc_options *o)
{
	gc_strv_free(o->only, o->n_only);
	gc_strv_free(o->skip, o->n_skip);
}

static int list_checks(void)
{
	size_t i;

	for (i = 0; i < gc_n_checks; i++)
		printf("%-28s %s\n", gc_checks[i].id, gc_checks[i].title);
	return 0;
}

static char *render_json(const struct gc_report *rep)
{
	char *text = NULL;
	size_t len = 0;
	FILE *m = open_memstream(&text, &len);

	if (!m)
		return NULL;
	gc_report_json(m, rep);
	fclose(m);
	return text;
}

static int bundle(const struct gc_options *o, const struct gc_root *root, const struct gc_record *rec,
		  const struct gc_facts *facts, const struct gc_report *rep)
{
	struct gc_bundle_info info = { 0 };
	char name[96];
	const char *out = o->output, *msg;
	time_t now = time(NULL);
	int err;

	if (!out) {
		strftime(name, sizeof(name), "aic-guestcheck-bundle-%Y%m%dT%H%M%SZ.tar.gz", gmtime(&now));
		out = name;
	}
	info.report_json = render_json(rep);
	err = gc_bundle_write(root, rec, facts, out, &info, &msg);
	free((char *)info.report_json);
	if (err) {
		fprintf(stderr, "aic-guestcheck: %s: %s\n", out, msg ? msg : strerror(-err));
		return GC_EXIT_USAGE;
	}
	fprintf(stderr, "aic-guestcheck: wrote %s (%zu files", streq(out, "-") ? "the bundle to stdout" : out,
		info.files);
	if (info.unreadable)
		fprintf(stderr, ", %zu unreadable without root", info.unreadable);
	fputs(")\n", stderr);
	return 0;
}

static int run(const struct gc_options *o, enum gc_command cmd)
{
	struct gc_record rec = { 0 };
	struct gc_result *res;
	struct gc_report rep;
	struct gc_facts facts;
	struct gc_root root;
	size_t i, n;
	int err, ret;

	err = gc_root_open(&root, o->sysroot);
	if (err) {
		fprintf(stderr, "aic-guestcheck: cannot open sysroot %s: %s\n", o->sysroot, strerror(-err));
		return GC_EXIT_USAGE;
	}
	if (cmd == CMD_BUNDLE)
		gc_root_record(&root, &rec);
	gc_facts_gather(&root, o->have_extra_id ? &o->extra_id : NULL, o->data_dir, &facts);

	res = xcalloc(gc_n_checks, sizeof(*res));
	n = gc_run_checks(&facts, o, res);
	rep = (struct gc_report){
		.facts = &facts, .opts = o, .res = res, .n = n,
		.exit_code = gc_exit_code(res, n, o->strict),
	};
	if (cmd == CMD_BUNDLE) {
		gc_root_record(&root, NULL);
		ret = bundle(o, &root, &rec, &facts, &rep);
	} else {
		if (o->format == GC_FORMAT_JSON)
			gc_report_json(stdout, &rep);
		else
			gc_report_text(stdout, &rep);
		ret = rep.exit_code;
	}

	for (i = 0; i < n; i++)
		gc_result_free(&res[i]);
	free(res);
	gc_facts_free(&facts);
	gc_record_free(&rec);
	gc_root_close(&root);
	return ret;
}

int main(int argc, char **argv)
{
	enum gc_command cmd;
	struct gc_options o;
	int ret;

	if (parse_options(argc, argv, &o, &cmd) < 0) {
		free_options(&o);
		return GC_EXIT_USAGE;
	}
	ret = cmd == CMD_LIST ? list_checks() : run(&o, cmd);
	free_options(&o);
	/* A report that did not reach its reader is no report (util-linux close_stdout). */
	if (fflush(stdout) != 0 || ferror(stdout)) {
		fprintf(stderr, "aic-guestcheck: write error: %s\n", strerror(errno));
		return GC_EXIT_USAGE;
	}
	return ret;
}
