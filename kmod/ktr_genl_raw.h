/* SPDX-License-Identifier: GPL-2.0 */
/* ktr_genl_raw.h - the raw attach operations of the "ktr" family. */
#ifndef _KTR_GENL_RAW_H
#define _KTR_GENL_RAW_H

struct sk_buff;
struct genl_info;

int ktr_nl_attach_raw(struct sk_buff *skb, struct genl_info *info);
int ktr_nl_detach_raw(struct sk_buff *skb, struct genl_info *info);

#endif /* _KTR_GENL_RAW_H */
