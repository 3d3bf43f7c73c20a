// SPDX-License-Identifier: GPL-2.0-only
/*
 * kpkg_hello: the out-of-tree module `kpkg smoke` builds on the emulated target to prove that a
 * linux-headers package works there. It exports a symbol so that, with CONFIG_MODVERSIONS,
 * genksyms runs too (besides fixdep and modpost, which every module build runs).
 */
#include <linux/init.h>
#include <linux/module.h>
#include <linux/printk.h>

int kpkg_hello_answer(void);

int kpkg_hello_answer(void)
{
	return 42;
}
EXPORT_SYMBOL_GPL(kpkg_hello_answer);

static int __init kpkg_hello_init(void)
{
	pr_info("kpkg_hello: hello, the answer is %d\n", kpkg_hello_answer());
	return 0;
}

static void __exit kpkg_hello_exit(void)
{
	pr_info("kpkg_hello: goodbye\n");
}

module_init(kpkg_hello_init);
module_exit(kpkg_hello_exit);

MODULE_LICENSE("GPL");
MODULE_AUTHOR("kpkg");
MODULE_DESCRIPTION("Hello-world module built by kpkg smoke to test a linux-headers package");
