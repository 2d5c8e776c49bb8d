/* SPDX-License-Identifier: MIT */
/* placeholder: being written (mutator.h) */
#include "mutator.h"
