"""The generalized rules (vocabulary + line shape, written for wordings no dev sentence had) must
stay line-safe: an advert spliced into the middle of a body sentence is a span problem, so a line
rule that takes such a line would remove body text. Every match example of these rules is spliced
into real body lines of the pack fixtures; none may be removed there (the real matching path:
keywords, max_chars, allow lists and resolve, every zone of the rule forced open)."""

from __future__ import annotations

from pathlib import Path

import pytest

import cleantext
from cleantext.check import one_rule_matcher, removing_zone
from cleantext.rules.compile import CompiledRule

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"

GENERALIZED = (
    "contact.business-call", "contact.business-label", "contact.follow-for-more", "contact.group-number-line",
    "contact.im-handle-long-lead", "contact.im-handle-other-apps", "contact.im-handle-with-note",
    "contact.scan-call",
    "disclaimer.cite-source-when-reposting", "disclaimer.if-infringing-contact", "disclaimer.report-or-claim",
    "disclaimer.rights-belong-to-author", "disclaimer.site-disclaims", "disclaimer.sourced-from-web",
    "disclaimer.study-only-no-commercial", "disclaimer.uploaded-by-users",
    "page_furniture.abstract-label-excerpt", "page_furniture.button-row", "page_furniture.byline-credits",
    "page_furniture.coin-fields", "page_furniture.coin-price-button", "page_furniture.doc-site-slogan",
    "page_furniture.download-notice-heading", "page_furniture.download-to-read", "page_furniture.forum-post-tools",
    "page_furniture.forum-posted-at", "page_furniture.forum-quote-reply", "page_furniture.forum-user-stats",
    "page_furniture.journal-meta-label", "page_furniture.keyboard-nav-tip", "page_furniture.meta-fields-line",
    "page_furniture.meta-source-and-date", "page_furniture.novel-address-label-vocab",
    "page_furniture.novel-latest-chapter-pointer", "page_furniture.novel-recommend-call",
    "page_furniture.novel-unfinished-page", "page_furniture.preview-limit", "page_furniture.preview-remaining",
    "page_furniture.read-more-button", "page_furniture.reader-mode-tip", "page_furniture.single-button-label",
    "page_furniture.site-download-rule", "page_furniture.title-site-suffix-line",
    "page_furniture.virtual-goods-no-refund", "page_furniture.welcome-site-banner", "page_furniture.download-count-line",
    "page_furniture.paid-download-button", "page_furniture.novel-site-promise", "page_furniture.uploader-owns-rights",
    "page_furniture.footer-link-row", "contact.service-hotline-400",
    "promo.collected-in-channel", "promo.editor-collected-for-you", "promo.gambling-site-line",
    "promo.get-it-here", "promo.more-content-call", "promo.more-content-label", "promo.pan-link",
    "promo.vip-button-text",
    # generic chrome of any site (page_furniture's last section)
    "page_furniture.site-footer-registration", "page_furniture.comment-box", "page_furniture.account-bar",
    "page_furniture.sidebar-heading", "page_furniture.toc-label", "page_furniture.result-count",
    "page_furniture.qa-chrome", "page_furniture.encyclopedia-chrome", "page_furniture.engage-counts",
    "page_furniture.loading-residue", "page_furniture.progress-residue", "page_furniture.preview-cut-download",
    "reseller_header.doubled-brand",
    # family round 6a
    "page_furniture.preview-pages-left", "page_furniture.account-is-phone",
    "promo.paid-unless-vip", "page_furniture.preview-rest-folded", "page_furniture.preview-read-to-end",
    "page_furniture.preview-whole-needs-download", "page_furniture.doc-site-name-slogan",
    "promo.recommend-label-short", "promo.topic-label", "promo.search-for-more", "promo.members-only-download",
    "reseller_header.members-only-stamp", "reseller_header.paid-for-free-material",
    "reseller_header.resale-prohibited", "reseller_header.study-only-no-spreading",
    # family-probe rules (benchmarks/family_probes.tsv)
    "contact.author-status-notice", "contact.media-tip-call", "contact.author-mail-card",
    "contact.im-handle-spaced-label", "contact.group-name-number", "contact.group-invite",
    "promo.collected-for-readers", "promo.daily-update-slogan", "promo.member-price-pitch",
    "disclaimer.if-doc-infringes-you", "disclaimer.revenue-to-provider", "disclaimer.site-content-from-users",
    "disclaimer.complaint-link-row", "page_furniture.abstract-cut-excerpt", "page_furniture.keyword-list-line",
    "page_furniture.journal-issue-field", "page_furniture.novel-chapter-pending", "page_furniture.novel-vote-ask",
    "page_furniture.novel-search-tip", "page_furniture.device-read-pointer", "page_furniture.date-site-feedback",
    "page_furniture.doc-no-refund", "page_furniture.page-help-pointer", "page_furniture.page-counter-next",
    "page_furniture.domain-remember-notice", "page_furniture.post-visibility-notice",
    "page_furniture.forum-level-line", "page_furniture.search-retry-tip", "page_furniture.find-docs-slogan",
    "page_furniture.bracket-fields-line", "page_furniture.title-piece-count-head",
    "page_furniture.downloaded-file-rule", "contact.im-handle-han-digits",
    # family-probe rules, round 3 (benchmarks/family_probes.tsv, "# round 3")
    "page_furniture.transcript-speaker-time", "page_furniture.profile-stat-distinct",
    "page_furniture.profile-stat-row", "page_furniture.profile-stat-single", "page_furniture.search-hint-banner",
    "page_furniture.rule-line-label", "page_furniture.print-shop", "page_furniture.print-shop-name",
    "page_furniture.fanwen-piece-label", "page_furniture.site-brand-tag", "page_furniture.search-result-count",
    "page_furniture.comment-box-widget", "page_furniture.account-menu", "page_furniture.account-field-edge",
    "page_furniture.qa-answer-label", "page_furniture.qa-level-edge", "page_furniture.forum-thread-status",
    "page_furniture.register-to-view", "page_furniture.shop-policy", "page_furniture.domain-notice-any",
    "page_furniture.injected-quote-by", "contact.site-contact-row", "contact.site-contact-field-edge",
    "promo.forex-risk-boilerplate", "promo.more-in-site", "promo.send-to-phone",
    "disclaimer.site-owns-copyright", "disclaimer.original-by-note", "promo.service-slogan",
    "promo.subscribe-thanks",
    # blocks round 4 (benchmarks/family_probes.tsv, "# blocks round 4")
    "promo.close-glyph", "promo.register-unlock", "promo.share-knowledge-intro", "promo.get-more-material",
    "promo.platform-follow-pitch", "promo.forex-broker-advises", "promo.forex-markup-tag",
    "reseller_header.presents-slogan", "reseller_header.learn-with-brand",
    "reseller_header.members-resources-teaser", "reseller_header.button-arrow-pitch",
    "reseller_header.membership-button", "reseller_header.ban-then-penalty",
    "reseller_header.material-scope-stamp", "contact.mail-business-note", "contact.brand-official-channel",
    "disclaimer.keep-copyright-info", "contact.author-status-notice", "disclaimer.glossed-takedown",
    "contact.glossed-submission-call", "contact.glossed-follow-call", "promo.we-collected-samples",
    "promo.vip-button-row", "contact.follow-us-promise", "disclaimer.doc-complaint-channel",
    "reseller_header.no-commercial-use-penalty", "reseller_header.brand-separator-slogan",
    "reseller_header.find-it-here-slogan", "disclaimer.improper-contact-delete", "reseller_header.subscription-pitch",
    # 文库 round 8 (the last rows of benchmarks/family_probes.tsv)
    "page_furniture.download-process-note", "page_furniture.preview-rest-download",
    "page_furniture.preview-shown-of-total", "page_furniture.doc-price-field", "page_furniture.journal-fields-line",
    "page_furniture.doc-site-offer", "page_furniture.doc-site-find-here", "promo.picked-for-you",
    "promo.follow-for-daily",
    # every rule of the web-chrome pack is written this way
    *(r.id for r in cleantext.default_pack().rules if r.category == "web_chrome"),
)


def _body_lines() -> list[str]:
    """Sentences of the expected bodies: long enough that a spliced advert sits inside prose."""
    lines: set[str] = set()
    for p in sorted((FIXTURES / "packs").glob("*/*.expected.txt")):
        for line in p.read_text("utf-8").split("\n"):
            s = line.strip()
            if 16 <= len(s) <= 80 and s.endswith(("。", "；", "！")) and not s.startswith("#"):
                lines.add(s)
    return sorted(lines)


BODY = _body_lines()
RULES = {c.id: c for c in cleantext.default_pack().compiled()}


def _spliced_hits(rule: CompiledRule) -> list[str]:
    hits = []
    matcher = one_rule_matcher(rule)
    for example in rule.rule.examples_match:
        advert = example.split("\n")[0]
        for body in BODY:
            half = len(body) // 2
            line = body[:half] + advert + body[half:]
            if removing_zone(matcher, line) is not None:
                hits.append(line)
    return hits


def test_there_are_body_lines_to_splice_into() -> None:
    assert len(BODY) >= 40


@pytest.mark.parametrize("rule_id", GENERALIZED)
def test_generalized_rule_never_takes_a_body_line_with_its_advert_spliced_in(rule_id: str) -> None:
    assert _spliced_hits(RULES[rule_id]) == []


def test_the_splice_check_catches_a_rule_with_a_free_prefix() -> None:
    """The harness can fail: the first draft of reader-mode-tip (lookaheads over the whole line)
    took body lines with a reading tip glued inside."""
    loose = cleantext.pack_from_text("""
[[rules]]
id = "page_furniture.loose-tip"
max_chars = 100
pattern = '^(?=[^\\n]*(?:章节|本章))(?=[^\\n]*(?:错误|刷新))(?=[^\\n]*(?:提示|请))[^\\n]{4,100}$'
[rules.examples]
match = ["温馨提示：如章节内容错乱，请刷新页面"]
""")
    (rule,) = loose.compiled()
    assert _spliced_hits(rule)
