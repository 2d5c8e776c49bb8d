/* SPDX-License-Identifier: MIT */
/* vconform-uml-agent: the endpoint table and the event queue (see agent.h). */
#include "agent.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

vcf_agent_ept *vcf_agent_table_find(vcf_agent_table *t, uint32_t addr)
{
    for (size_t i = 0; i < t->n; i++)
        if (t->e[i].addr == addr)
            return &t->e[i];
    return NULL;
}

vcf_agent_ept *vcf_agent_table_find_dev(vcf_agent_table *t, const char *dev)
{
    for (size_t i = 0; i < t->n; i++)
        if (t->e[i].kind == VCF_AGENT_REMOTE && strcmp(t->e[i].dev, dev) == 0)
            return &t->e[i];
    return NULL;
}

vcf_agent_ept *vcf_agent_table_add(vcf_agent_table *t, const vcf_agent_ept *e)
{
    if (t->n >= VCF_AGENT_MAX_EPTS)
        return NULL;
    t->e[t->n] = *e;
    return &t->e[t->n++];
}

void vcf_agent_table_remove(vcf_agent_table *t, vcf_agent_ept *e)
{
    if (e < t->e || e >= t->e + t->n)
        return;
    size_t i = (size_t)(e - t->e);
    memmove(&t->e[i], &t->e[i + 1], (t->n - i - 1) * sizeof t->e[0]);
    t->n--;
}

int vcf_agent_queue_push(vcf_agent_queue *q, uint32_t type, uint64_t a0, uint64_t a1, uint64_t a2,
                         const void *data, size_t len)
{
    vcf_agent_event *ev = malloc(sizeof *ev + len);
    if (!ev)
        return -ENOMEM;
    ev->next = NULL;
    ev->type = type;
    ev->args[0] = a0;
    ev->args[1] = a1;
    ev->args[2] = a2;
    ev->args[3] = 0;
    ev->len = len;
    if (len)
        memcpy(ev->data, data, len);
    if (q->tail)
        q->tail->next = ev;
    else
        q->head = ev;
    q->tail = ev;
    q->n++;
    return 0;
}

vcf_agent_event *vcf_agent_queue_pop(vcf_agent_queue *q)
{
    vcf_agent_event *ev = q->head;
    if (!ev)
        return NULL;
    q->head = ev->next;
    if (!q->head)
        q->tail = NULL;
    q->n--;
    ev->next = NULL;
    return ev;
}

void vcf_agent_queue_clear(vcf_agent_queue *q)
{
    vcf_agent_event *ev;
    while ((ev = vcf_agent_queue_pop(q)) != NULL)
        free(ev);
}
