#!/bin/sh
# beastie simulator stand-in for sys/conf/newvers.sh of FreeBSD 15.0-RELEASE: only the three
# assignments that name the tree's release (the real script builds vers.c from them; the
# simulated make and kernel_patch read them, docs/freebsd/upgrade.md).
TYPE="FreeBSD"
REVISION="15.0"
BRANCH="RELEASE"
