"""What the conversation is about: keyword and phrase rules, several topics may hold.

Checked against Bitext's intents (delivery, refund, payment, invoice, account, cancellation) and
against our own support-chat set for `technical` and `bug_report`, which Bitext lacks. A message
that matches nothing is about "other". Phrases match case-insensitively on whole tokens.
"""

from __future__ import annotations

from spacy.language import Language
from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc

from .labels import TOPICS

if not Doc.has_extension("assist_topics"):
    Doc.set_extension("assist_topics", default=())

TOPIC_PHRASES: dict[str, list[str]] = {
    "delivery": [
        "track", "track order", "track my order", "order status", "status of my order", "status of order",
        "status of the order", "locate my order", "locate order", "how soon", "expect my", "shipments",
        "shipping to", "ship to", "deliver to", "order from", "shipping options", "delivery options",
        "arrives", "arriving", "never came", "came early", "arrived early", "days early", "returned to sender",
        "ordered", "processing", "address", "deliveries",
        "delivery", "deliveries", "deliver", "delivered", "delivering", "shipping", "shipped", "ship", "shipment",
        "package", "parcel", "courier", "tracking", "tracking number", "track my order", "track my package",
        "arrive", "arrived", "arrival", "hasn't arrived", "not arrived", "where is my order", "where's my order",
        "dispatch", "dispatched", "postman", "post office", "mailman", "dhl", "ups", "fedex", "usps", "dpd",
        "royal mail", "in transit", "out for delivery", "shipping address", "delivery address", "doorstep",
        "left at the door", "driver", "lost in the post", "never received", "haven't received", "still not here",
        "estimated delivery", "eta", "collection point", "pickup point", "courier", "delayed order", "order status",
        "my order", "the order",
    ],
    "billing": [
        "bills", "billing details",
        "taking money", "took my money", "prices", "tax", "late fee",
        "charge", "charged", "charges", "charging", "overcharged", "double charged", "charged twice", "bill",
        "billed", "billing", "invoice", "invoices", "payment", "payments", "pay", "paid", "paying", "credit card",
        "debit card", "card", "bank", "bank statement", "statement", "receipt", "price", "pricing", "fee", "fees",
        "subscription fee", "transaction", "direct debit", "paypal", "vat", "tax", "discount", "coupon",
        "promo code", "voucher", "payment method", "billing address", "instalment", "installment", "renewal",
        "renewed", "auto-renew", "auto renew", "money", "cost", "costs", "expensive",
    ],
    "refund": [
        "rebate", "rebates", "compensation", "restitution", "reimbursements", "refunding",
        "return number", "return label", "returned the", "returned it",
        "refund", "refunds", "refunded", "refunding", "money back", "reimburse", "reimbursement", "reimbursed",
        "return", "returns", "returned", "returning", "send it back", "sent it back", "store credit",
        "exchange", "chargeback", "credit back", "give me back",
    ],
    "account": [
        "sign-up", "registrations", "standard account", "gold account", "platinum account", "premium account",
        "my profile", "recover my password", "password recovery",
        "unlock my account", "reset link", "password reset", "user", "users", "second user", "my email",
        "change my email", "signed up", "my id", "id verification", "phishing", "delete my data",
        "account", "accounts", "login", "log in", "logged in", "logging in", "log into", "sign in", "signed in",
        "signing in", "sign up", "signup", "password", "reset my password", "username", "user name", "profile",
        "email address", "verification", "verify", "verification code", "2fa", "two-factor", "two factor",
        "locked out", "locked", "hacked", "security question", "personal details", "my details", "my data",
        "logged out", "membership", "registration", "register", "delete my account", "close my account",
        "otp", "one-time code",
    ],
    "technical": [
        "browsers", "export", "is down", "are down", "went down", "outage", "card reader", "dark mode",
        "app", "apps", "website", "site", "web page", "webpage", "browser", "install", "installed", "installing",
        "installation", "setup", "set up", "setting up", "settings", "update", "updated", "updating", "upgrade",
        "wifi", "wi-fi", "bluetooth", "connect", "connected", "connection", "connecting", "network", "router",
        "internet", "sync", "syncing", "synchronise", "download", "downloaded", "upload", "uploading", "device",
        "laptop", "computer", "phone", "iphone", "android", "tablet", "software", "firmware", "driver",
        "configure", "configuration", "pair", "pairing", "printer", "server", "api", "integration", "plugin",
        "extension", "notifications", "link doesn't work", "two-factor code", "screen",
        "loading", "load", "slow", "offline", "online", "version", "reinstall", "restart", "reboot", "cache",
        "cookies", "vpn", "dns", "login page", "checkout page", "the page",
    ],
    "bug_report": [
        "wiped", "logs me out", "logged me out", "broke", "404 error", "error 404", "500 error", "error 500",
        "bug", "bugs", "buggy", "glitch", "glitches", "glitchy", "crash", "crashes", "crashed", "crashing",
        "freezes", "freeze", "frozen", "freezing", "not working", "isn't working", "is not working",
        "doesn't work", "does not work", "don't work", "stopped working", "won't work", "broken", "error",
        "errors", "error message", "error code", "blank screen", "white screen", "black screen",
        "keeps logging me out", "keeps crashing", "won't load", "doesn't load", "not loading", "won't open",
        "doesn't open", "fails", "failed", "failing", "malfunction", "malfunctioning", "stuck on",
        "something went wrong", "404", "unresponsive", "nothing happens", "greyed out", "grayed out",
        "disappeared", "wrong total", "shows the wrong", "won't let me", "can't click", "times out", "timed out",
    ],
    "cancellation": [
        "termination fee", "termination fees", "withdrawal fee", "withdrawal fees", "withdrawal penalty",
        "early termination", "exit fee", "cancellation penalty",
        "cancel", "cancels", "cancelled", "canceled", "cancelling", "canceling", "cancellation", "cancellations",
        "unsubscribe", "unsubscribed", "terminate", "termination", "end my subscription", "stop my subscription",
        "close my account", "delete my account", "cancellation fee", "opt out", "leave", "leaving",
        "stop the subscription", "end the contract",
    ],
    "product": [
        "toy", "teddy", "ring", "vase", "bag", "zip", "knife", "knife set", "car seat", "game", "plates", "cable",
        "speaker", "album", "necklace", "jewellery", "chair", "table", "book", "scratch", "stitching", "chipped",
        "does it come in", "come in black", "purchase", "replacement", "premium plan", "plan", "gift",
        "product", "products", "item", "items", "size", "sizes", "sizing", "colour", "color", "quality",
        "model", "stock", "in stock", "out of stock", "feature", "features", "compatible", "compatibility",
        "warranty", "guarantee", "defective", "faulty", "damaged", "scratched", "broken screen", "material",
        "fits", "fit", "battery", "charger", "instructions", "manual", "ingredients", "dimensions", "specs",
        "specification", "shoes", "jacket", "dress", "shirt", "headphones", "blender", "kettle", "sofa",
        "mattress", "camera", "watch", "lamp", "vacuum", "coffee machine", "description", "as described",
        "looks nothing like", "smaller than", "bigger than", "fell apart", "falls apart", "stopped charging",
    ],
}

# Words that look like a topic but are not one in that sentence ("cancel" a topic, "leave" needs help).
_WEAK = {"leave", "leaving", "card", "bank", "money", "cost", "costs", "load", "online", "screen", "phone",
         "site", "fit", "fits", "model", "driver", "the order", "my order", "item", "items", "watch", "exchange",
         "update", "updated", "updating", "slow", "statement", "accounts", "pay", "paying", "paid",
         "charging", "expensive", "price", "instructions", "damaged", "replacement", "gift", "purchase", "plan",
         "membership", "device", "laptop", "computer", "tablet", "ordered", "processing", "address", "return",
         "returned", "tax", "broken", "broke", "not working", "isn't working", "is not working", "doesn't work",
         "does not work", "don't work", "stopped working", "won't work", "fails", "failed", "failing",
         "the page", "user", "users"}


# Wording where "account" is the customer's bank account ("veto" drops the account topic).
BANK_ACCOUNT = ["bank account", "money from my account", "money in my account", "money into my account",
                "money out of my account", "taken from my account", "debited from my account", "our accounts",
                "for our accounts", "isn't in my account", "not in my account", "is not in my account"]


class TopicMatcher:
    """Sets `doc._.assist_topics`, in TOPICS order; ("other",) when nothing matches."""

    def __init__(self, nlp: Language, name: str, *, min_weak: int):
        self.nlp = nlp
        self.name = name
        self.min_weak = min_weak
        self.matcher: PhraseMatcher | None = None
        self._topic_of: dict[int, tuple[str, str]] = {}  # match id -> (topic, "strong" or "weak")

    def load(self, phrases: dict[str, list[str]] = TOPIC_PHRASES, bank_account=BANK_ACCOUNT) -> "TopicMatcher":
        matcher = PhraseMatcher(self.nlp.vocab, attr="NORM")
        topic_of = {}
        for topic, entries in phrases.items():
            if topic not in TOPICS and topic != "veto":
                raise ValueError(f"unknown topic {topic!r} (known: {', '.join(TOPICS)})")
            strong = [p for p in dict.fromkeys(entries) if p not in _WEAK]
            weak = [p for p in dict.fromkeys(entries) if p in _WEAK]
            for strength, group in (("strong", strong), ("weak", weak)):
                if group:
                    key = f"{topic}|{strength}"
                    topic_of[self.nlp.vocab.strings.add(key)] = (topic, strength)
                    matcher.add(key, [self.nlp.make_doc(p) for p in group])
        veto = self.nlp.vocab.strings.add("veto|strong")
        topic_of[veto] = ("veto", "strong")
        matcher.add("veto|strong", [self.nlp.make_doc(p) for p in bank_account])
        self.matcher, self._topic_of = matcher, topic_of
        return self

    def __call__(self, doc: Doc) -> Doc:
        if self.matcher is None:
            raise RuntimeError(f"the '{self.name}' component has no phrases yet: call its load() first")
        doc._.assist_topics = self.topics(doc)
        return doc

    def topics(self, doc: Doc) -> tuple[str, ...]:
        strong, weak = set(), {}
        bank_account = False
        account_words = 0
        for match_id, start, end in self.matcher(doc):
            topic, strength = self._topic_of[match_id]
            if topic == "veto":
                bank_account = True
                continue
            if topic == "account":
                account_words += 1
            if strength == "strong":
                strong.add(topic)
            else:
                weak[topic] = weak.get(topic, 0) + 1
        if bank_account and account_words <= 2:
            # "money from my account" is the customer's bank, not their account with us
            strong.discard("account")
        found = strong | {t for t, n in weak.items() if n >= self.min_weak}
        # Weak words ("my account", "paid", "broken") decide only when nothing stronger speaks.
        if not found and weak:
            top = max(weak.values())
            found = {t for t, n in weak.items() if n == top}
        # A software bug is a technical problem too.
        if "bug_report" in found:
            found.add("technical")
        return tuple(t for t in TOPICS if t in found) or ("other",)


@Language.factory("assist_topics", default_config={"min_weak": 2})
def make_topic_matcher(nlp: Language, name: str, *, min_weak: int) -> TopicMatcher:
    return TopicMatcher(nlp, name, min_weak=min_weak)
