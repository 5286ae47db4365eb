// SPDX-License-Identifier: GPL-2.0-or-later
/* Boot configuration parsers: /etc/default/grub, grub.cfg, grubenv, BLS entries, the default entry. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>
#include <errno.h>

#include "probes/bootcfg.h"

static const char *var(const struct gc_grub_defaults *d, const char *name)
{
	const struct gc_shvar *v = gc_shvar_get(d, name);

	return v ? v->value : NULL;
}

static void free_defaults(struct gc_bootcfg *b)
{
	gc_bootcfg_free(b);
}

static void test_shell_quoting(void **state)
{
	struct gc_bootcfg b = { 0 };

	(void)state;
	gc_shell_parse("# comment\n"
		       "GRUB_DEFAULT=0\n"
		       "GRUB_CMDLINE_LINUX_DEFAULT=\"quiet splash\"\n"
		       "GRUB_CMDLINE_LINUX='console=ttyS0,115200 \"x\"'\n"
		       "export GRUB_TIMEOUT=5 # trailing comment\n"
		       "GRUB_A=a\\ b\"c\"'d'\n"
		       "GRUB_ESC=\"a \\\"q\\\" \\$HOME \\\\\"\n"
		       "GRUB_CONT=\"one \\\ntwo\"\n",
		       "/etc/default/grub", &b.defaults);
	assert_string_equal(var(&b.defaults, "GRUB_DEFAULT"), "0");
	assert_string_equal(var(&b.defaults, "GRUB_CMDLINE_LINUX_DEFAULT"), "quiet splash");
	assert_string_equal(var(&b.defaults, "GRUB_CMDLINE_LINUX"), "console=ttyS0,115200 \"x\"");
	assert_string_equal(var(&b.defaults, "GRUB_TIMEOUT"), "5");
	assert_string_equal(var(&b.defaults, "GRUB_A"), "a bcd");
	assert_string_equal(var(&b.defaults, "GRUB_ESC"), "a \"q\" $HOME \\");
	assert_string_equal(var(&b.defaults, "GRUB_CONT"), "one two");
	assert_int_equal(b.defaults.n_unsupported, 0);
	free_defaults(&b);
}

/* Drop-ins extend what /etc/default/grub set: "${GRUB_CMDLINE_LINUX_DEFAULT} x" (Ubuntu cloud images). */
static void test_shell_expansion(void **state)
{
	struct gc_bootcfg b = { 0 };

	(void)state;
	gc_shell_parse("GRUB_CMDLINE_LINUX_DEFAULT=\"quiet\"\n", "/etc/default/grub", &b.defaults);
	gc_shell_parse("GRUB_CMDLINE_LINUX_DEFAULT=\"${GRUB_CMDLINE_LINUX_DEFAULT} intremap=off\"\n"
		       "GRUB_CMDLINE_LINUX=$GRUB_CMDLINE_LINUX\" x\"\n",
		       "/etc/default/grub.d/50-cloudimg-settings.cfg", &b.defaults);
	assert_string_equal(var(&b.defaults, "GRUB_CMDLINE_LINUX_DEFAULT"), "quiet intremap=off");
	assert_string_equal(var(&b.defaults, "GRUB_CMDLINE_LINUX"), " x");
	assert_false(gc_shvar_get(&b.defaults, "GRUB_CMDLINE_LINUX_DEFAULT")->uncertain);
	free_defaults(&b);
}

/* Shell code is never run: what it would set is uncertain, and the line is reported. */
static void test_shell_unsupported(void **state)
{
	static const char *const lines[] = {
		"GRUB_CMDLINE_LINUX=\"$(cat /proc/cmdline)\"\n",
		"GRUB_CMDLINE_LINUX=`cat x`\n",
		"GRUB_CMDLINE_LINUX=\"${X:-intremap=off}\"\n",
		"GRUB_CMDLINE_LINUX=\"unterminated\n",
		"GRUB_CMDLINE_LINUX=a b\n",
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(lines) / sizeof(lines[0]); i++) {
		struct gc_bootcfg b = { 0 };

		gc_shell_parse("GRUB_CMDLINE_LINUX=\"quiet\"\n", "f", &b.defaults);
		gc_shell_parse(lines[i], "g", &b.defaults);
		assert_true(gc_shvar_get(&b.defaults, "GRUB_CMDLINE_LINUX")->uncertain);
		assert_int_equal(b.defaults.n_unsupported, 1);
		assert_non_null(strstr(b.defaults.unsupported[0], "g:1: GRUB_CMDLINE_LINUX"));
		free_defaults(&b);
	}
	{
		struct gc_bootcfg b = { 0 };

		/* A conditional is not an assignment: reported, and the values it guards stay as set. */
		gc_shell_parse("if [ -e /x ]; then\nGRUB_DEFAULT=1\nfi\n", "h", &b.defaults);
		assert_int_equal(b.defaults.n_unsupported, 2);
		assert_string_equal(var(&b.defaults, "GRUB_DEFAULT"), "1");
		free_defaults(&b);
	}
}

/* Debian 12's grub.cfg, trimmed (grub-mkconfig 2.06, 00_header and 10_linux). */
static const char debian_cfg[] =
	"if [ -s $prefix/grubenv ]; then\n"
	"  set have_grubenv=true\n"
	"  load_env\n"
	"fi\n"
	"if [ \"${next_entry}\" ] ; then\n"
	"   set default=\"${next_entry}\"\n"
	"   set next_entry=\n"
	"   save_env next_entry\n"
	"   set boot_once=true\n"
	"else\n"
	"   set default=\"%s\"\n"
	"fi\n"
	"function load_video {\n"
	"  insmod all_video\n"
	"}\n"
	"menuentry 'Debian GNU/Linux' --class debian $menuentry_id_option 'gnulinux-simple-0b7a' {\n"
	"\tlinux\t/boot/vmlinuz-6.1.0-13-amd64 root=UUID=0b7a ro  quiet\n"
	"}\n"
	"submenu 'Advanced options for Debian GNU/Linux' $menuentry_id_option 'gnulinux-advanced-0b7a' {\n"
	"\tmenuentry 'Debian GNU/Linux, with Linux 6.1.0-13-amd64' $menuentry_id_option 'gnulinux-6.1.0-13-amd64-advanced-0b7a' {\n"
	"\t\tlinux\t/boot/vmlinuz-6.1.0-13-amd64 root=UUID=0b7a ro  quiet\n"
	"\t}\n"
	"\tmenuentry 'Debian GNU/Linux, with Linux 6.1.0-13-amd64 (recovery mode)' $menuentry_id_option 'gnulinux-6.1.0-13-amd64-recovery-0b7a' {\n"
	"\t\tlinux\t/boot/vmlinuz-6.1.0-13-amd64 root=UUID=0b7a ro single\n"
	"\t}\n"
	"\tmenuentry 'Debian GNU/Linux, with Linux 5.10.0-26-amd64' $menuentry_id_option 'gnulinux-5.10.0-26-amd64-advanced-0b7a' {\n"
	"\t\tlinux\t/boot/vmlinuz-5.10.0-26-amd64 root=UUID=0b7a ro intremap=off quiet $vt_handoff\n"
	"\t}\n"
	"}\n"
	"menuentry 'UEFI Firmware Settings' $menuentry_id_option 'uefi-firmware' {\n"
	"\tfwsetup\n"
	"}\n";

static int default_for(const char *set_default, const char *saved, struct gc_boot_default *d)
{
	struct gc_bootcfg b = { 0 };
	char cfg[4096];
	int ret;

	snprintf(cfg, sizeof(cfg), debian_cfg, set_default);
	b.env_err = -ENOENT;
	gc_grub_cfg_parse(cfg, &b.cfg);
	b.cfg.path = strdup("/boot/grub/grub.cfg");
	if (saved) {
		char env[256];

		snprintf(env, sizeof(env), "# GRUB Environment Block\nsaved_entry=%s\n########", saved);
		gc_grubenv_parse(env, &b.env);
	}
	assert_int_equal(b.cfg.n, 5);
	assert_false(b.cfg.blscfg);
	ret = gc_boot_default(&b, d);
	/* The entry's strings live in b: keep only what the tests read. */
	if (ret == 0)
		d->kernel = strdup(d->kernel);
	gc_bootcfg_free(&b);
	return ret;
}

static void check_default(const char *sel, const char *saved, const char *kernel, const char *arg)
{
	struct gc_boot_default d;

	assert_int_equal(default_for(sel, saved, &d), 0);
	assert_string_equal(d.kernel, kernel);
	assert_non_null(strstr(d.args, arg));
	free((char *)d.kernel);
	gc_boot_default_free(&d);
}

static void test_grub_default(void **state)
{
	struct gc_boot_default d;

	(void)state;
	check_default("0", NULL, "/boot/vmlinuz-6.1.0-13-amd64", "quiet");
	/* GRUB_DEFAULT="1>2": the submenu is top-level item 1, the entry its third. */
	check_default("1>2", NULL, "/boot/vmlinuz-5.10.0-26-amd64", "intremap=off");
	check_default("gnulinux-advanced-0b7a>gnulinux-5.10.0-26-amd64-advanced-0b7a", NULL,
		      "/boot/vmlinuz-5.10.0-26-amd64", "intremap=off");
	check_default("Advanced options for Debian GNU/Linux>Debian GNU/Linux, with Linux 6.1.0-13-amd64 (recovery mode)",
		      NULL, "/boot/vmlinuz-6.1.0-13-amd64", "single");
	check_default("gnulinux-simple-0b7a", NULL, "/boot/vmlinuz-6.1.0-13-amd64", "quiet");
	/* GRUB_DEFAULT=saved: grub-mkconfig writes ${saved_entry}; grubenv has it. */
	check_default("${saved_entry}", "1>2", "/boot/vmlinuz-5.10.0-26-amd64", "intremap=off");
	check_default("${saved_entry}", NULL, "/boot/vmlinuz-6.1.0-13-amd64", "quiet");
	/* The third top-level item is the firmware entry: it boots no kernel. */
	assert_int_equal(default_for("2", NULL, &d), -EINVAL);
	assert_int_equal(default_for("7", NULL, &d), -EINVAL);
	assert_int_equal(default_for("1>9", NULL, &d), -EINVAL);
}

static void test_grub_vars(void **state)
{
	struct gc_boot_default d;

	(void)state;
	/* $vt_handoff is set nowhere in this menu: the line is known only in part. */
	assert_int_equal(default_for("1>2", NULL, &d), 0);
	assert_string_equal(d.undefined, "$vt_handoff");
	gc_boot_default_free(&d);
	free((char *)d.kernel);
}

static void test_bls(void **state)
{
	struct gc_bootcfg b = { 0 };
	struct gc_boot_default d;
	struct gc_bls_entry e[2];

	(void)state;
	/* RHEL 8.9 entries: the options come from grubenv's kernelopts. */
	gc_bls_parse("title Red Hat Enterprise Linux (4.18.0-513.el8.x86_64) 8.9 (Ootpa)\n"
		     "version 4.18.0-513.el8.x86_64\nlinux /vmlinuz-4.18.0-513.el8.x86_64\n"
		     "initrd /initramfs-4.18.0-513.el8.x86_64.img $tuned_initrd\n"
		     "options $kernelopts $tuned_params\nid rhel-20231010-4.18.0-513.el8.x86_64\n"
		     "grub_users $grub_users\ngrub_arg --unrestricted\ngrub_class kernel\n",
		     "abc-4.18.0-513.el8.x86_64", &e[0]);
	gc_bls_parse("title old\nversion 4.18.0-477.el8.x86_64\nlinux /vmlinuz-4.18.0-477.el8.x86_64\n"
		     "options root=/dev/sda1\noptions nointremap\n", "abc-4.18.0-477.el8.x86_64", &e[1]);
	assert_string_equal(e[0].version, "4.18.0-513.el8.x86_64");
	assert_string_equal(e[1].options, "root=/dev/sda1 nointremap");
	b.bls = malloc(sizeof(e));
	memcpy(b.bls, e, sizeof(e));
	b.n_bls = 2;
	b.bls_dir = "/boot/loader/entries";
	b.cfg.err = 0;
	gc_grub_cfg_parse("load_env\nset default=\"${saved_entry}\"\nset tuned_params=\"\"\nblscfg\n", &b.cfg);
	assert_true(b.cfg.blscfg);
	gc_grubenv_parse("# GRUB Environment Block\nsaved_entry=abc-4.18.0-477.el8.x86_64\n"
			 "kernelopts=root=/dev/mapper/rhel-root ro crashkernel=auto\n###", &b.env);
	assert_int_equal(gc_boot_default(&b, &d), 0);
	assert_string_equal(d.kernel, "/vmlinuz-4.18.0-477.el8.x86_64");
	assert_string_equal(d.args, "root=/dev/sda1 nointremap");
	gc_boot_default_free(&d);
	/* Entry 0 in blscfg's order is the newest kernel. */
	free(b.cfg.set_default);
	b.cfg.set_default = strdup("0");
	assert_int_equal(gc_boot_default(&b, &d), 0);
	assert_string_equal(d.kernel, "/vmlinuz-4.18.0-513.el8.x86_64");
	assert_string_equal(d.args, "root=/dev/mapper/rhel-root ro crashkernel=auto ");
	assert_null(d.undefined);
	gc_boot_default_free(&d);
	gc_bootcfg_free(&b);
}

static void test_release_from_image(void **state)
{
	char *r;

	(void)state;
	assert_string_equal(r = gc_release_from_image("/boot/vmlinuz-6.1.0-13-amd64"), "6.1.0-13-amd64");
	free(r);
	assert_string_equal(r = gc_release_from_image("(hd0,gpt2)/vmlinuz-5.15.0-91-generic"), "5.15.0-91-generic");
	free(r);
	assert_string_equal(r = gc_release_from_image("/lib/modules/6.5.6-300.fc39.x86_64/vmlinuz"),
			    "6.5.6-300.fc39.x86_64");
	free(r);
	assert_null(gc_release_from_image("/boot/vmlinuz"));
	assert_null(gc_release_from_image(NULL));
}

/* Garbage must not crash the parsers or invent entries. */
static void test_garbage(void **state)
{
	struct gc_bootcfg b = { 0 };
	char junk[512];
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(junk) - 1; i++)
		junk[i] = (char)(1 + (i * 37) % 255);
	junk[sizeof(junk) - 1] = '\0';
	gc_shell_parse(junk, "junk", &b.defaults);
	gc_grub_cfg_parse(junk, &b.cfg);
	gc_grub_cfg_parse("}\n}\n}\nmenuentry 'x' {\n{\n{\n", &b.cfg);
	gc_grubenv_parse(junk, &b.env);
	assert_int_equal(b.cfg.n, 1);
	gc_bootcfg_free(&b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_shell_quoting),
		cmocka_unit_test(test_shell_expansion),
		cmocka_unit_test(test_shell_unsupported),
		cmocka_unit_test(test_grub_default),
		cmocka_unit_test(test_grub_vars),
		cmocka_unit_test(test_bls),
		cmocka_unit_test(test_release_from_image),
		cmocka_unit_test(test_garbage),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
