/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The boot configuration of a guest root that is not running: what
 * grub-mkconfig will build the menu from (/etc/default/grub, then
 * /etc/default/grub.d/<name>.cfg, each a shell fragment), the menu GRUB reads
 * (grub.cfg, its environment block grubenv), BootLoaderSpec entries
 * (/boot/loader/entries/<id>.conf) and /etc/kernel/cmdline (kernel-install).
 * Everything is parsed, nothing is run: the shell fragments are read as
 * plain assignments with shell quoting and $VAR expansion of variables set
 * before; anything else (command substitution, conditionals, ${VAR:-...})
 * is listed as not understood, and a variable it touches is uncertain.
 */
#ifndef GC_BOOTCFG_H
#define GC_BOOTCFG_H

#include "sysroot.h"

struct gc_shvar {
	char *name;
	char *value;
	bool uncertain;  /* set by a line that was not understood */
	char *file;      /* where it was last set */
};

/* Shell variables from /etc/default/grub and grub.d/<name>.cfg, in sourcing order. */
struct gc_grub_defaults {
	int err;             /* of /etc/default/grub */
	struct gc_shvar *v;
	size_t n;
	char **files;        /* read, in order */
	size_t n_files;
	char **unsupported;  /* "FILE:LINE: what" */
	size_t n_unsupported;
};

/* Pure: apply the assignments of one shell fragment (text) named file. */
void gc_shell_parse(const char *text, const char *file, struct gc_grub_defaults *d);
const struct gc_shvar *gc_shvar_get(const struct gc_grub_defaults *d, const char *name);

/* A menu entry of grub.cfg. */
struct gc_grub_entry {
	char *title;
	char *id;          /* --id or $menuentry_id_option's word */
	char *parent;      /* title of the submenu it sits in, NULL at top level */
	char *parent_id;
	int top_index;     /* position among the top-level items (entries and submenus) */
	int sub_index;     /* position inside its submenu, -1 at top level */
	char *kernel;       /* the kernel image of its linux/linuxefi/linux16 line */
	char *args;        /* the rest of that line */
};

struct gc_grub_cfg {
	int err;
	char *path;            /* /boot/grub/grub.cfg or /boot/grub2/grub.cfg */
	struct gc_grub_entry *e;
	size_t n;
	char *set_default;     /* the last `set default=` outside the one-shot next_entry branch */
	bool blscfg;           /* the blscfg command: BLS entries make the menu */
	struct gc_grub_defaults vars;  /* `set NAME=value` outside entries ($vt_handoff) */
};

/* Pure: parse grub.cfg text. */
void gc_grub_cfg_parse(const char *text, struct gc_grub_cfg *out);

/* A BootLoaderSpec type #1 entry. */
struct gc_bls_entry {
	char *id;          /* file name without .conf */
	char *title;
	char *version;
	char *kernel;
	char *options;     /* all options lines, joined by spaces */
};

/* Pure: parse one entry file. */
void gc_bls_parse(const char *text, const char *id, struct gc_bls_entry *out);

struct gc_bootcfg {
	struct gc_grub_defaults defaults;
	struct gc_grub_cfg cfg;
	int env_err;
	char *env_path;
	struct gc_grub_defaults env;  /* grubenv's name=value pairs (saved_entry, kernelopts) */
	int bls_err;
	const char *bls_dir;
	struct gc_bls_entry *bls;
	size_t n_bls;
	int kernel_cmdline_err;
	char *kernel_cmdline;         /* /etc/kernel/cmdline, newlines as spaces */
};

int gc_bootcfg_probe(const struct gc_root *r, struct gc_bootcfg *out);
void gc_bootcfg_free(struct gc_bootcfg *b);

/* Pure: grubenv text (name=value lines, '#' padding) into env. */
void gc_grubenv_parse(const char *text, struct gc_grub_defaults *env);

/* The entry GRUB boots without a key pressed. */
struct gc_boot_default {
	const char *source;    /* "grub.cfg", "BLS", or NULL when the configuration does not say */
	const char *kernel;     /* its kernel image path */
	char *args;            /* its command line with grubenv variables ($kernelopts) put in */
	char *undefined;       /* the first $variable grubenv does not set, or NULL */
	char how[512];         /* how it was decided, for evidence */
	char source_buf[320];
};

/*
 * Pure: resolve `set default` (a number, a title or id, "submenu>entry",
 * ${saved_entry} from grubenv) to an entry of grub.cfg, or of the BLS
 * entries when grub.cfg runs blscfg. 0 when found, -ENOENT when nothing
 * says, -EINVAL when the default names no entry.
 */
int gc_boot_default(const struct gc_bootcfg *b, struct gc_boot_default *out);
void gc_boot_default_free(struct gc_boot_default *d);

/* Kernel release from an image path: "/boot/vmlinuz-6.1.0-13-amd64" -> "6.1.0-13-amd64", or NULL. */
char *gc_release_from_image(const char *path);

/*
 * Expand $name and ${name} of grubenv in text (BLS options "$kernelopts");
 * names grubenv does not set become "", and the first is returned in
 * *ret_undefined (to free), since GRUB may have it from elsewhere.
 */
char *gc_grubenv_expand(const struct gc_grub_defaults *env, const char *text, char **ret_undefined);

#endif
