"""Support-chat knowledge for the cue matcher: words and phrases, the emotion they signal, and how strongly.

Plain data, loaded into the matchers in an explicit step (`CueMatcher.load(CUE_LEXICON)`), never
through spaCy's config. Phrases are matched case-insensitively on whole tokens, so "fed up" matches
"Fed UP". Weights are evidence strengths: 1.0 is a word that on its own names the feeling
("furious"), 0.3 a weak hint ("thanks" at the end of a question).
"""

from __future__ import annotations

from dataclasses import dataclass, field

# (phrase, weight) per emotion; kind "lexicon".
EMOTION_PHRASES: dict[str, list[tuple[str, float]]] = {
    "anger": [
        ("furious", 1.0), ("livid", 1.0), ("outraged", 1.0), ("outrageous", 1.0), ("angry", 0.9),
        ("mad", 0.6), ("pissed", 1.0), ("pissed off", 1.0), ("ridiculous", 0.9), ("unacceptable", 1.0),
        ("disgusting", 1.0), ("disgraceful", 1.0), ("a disgrace", 1.0), ("scam", 1.0), ("scammers", 1.0),
        ("scammed", 1.0), ("rip off", 1.0), ("ripoff", 1.0), ("rip-off", 1.0), ("ripped off", 1.0),
        ("pathetic", 1.0), ("useless", 0.8), ("incompetent", 1.0), ("incompetence", 1.0), ("a joke", 0.9),
        ("worst", 0.8), ("terrible", 0.6), ("horrible", 0.6), ("awful", 0.6), ("hate", 0.8), ("wtf", 1.0),
        ("what the hell", 1.0), ("bullshit", 1.0), ("crap", 0.7), ("shit", 0.7), ("liars", 1.0),
        ("lied", 0.9), ("lying", 0.8), ("thieves", 1.0), ("stealing", 0.9), ("robbery", 1.0),
        ("insulting", 0.9), ("disrespectful", 0.9), ("rude", 0.8), ("shameful", 0.9), ("shame on you", 1.0),
        ("how dare", 1.0), ("absurd", 0.8), ("appalling", 1.0), ("atrocious", 1.0), ("enraged", 1.0),
        ("fuming", 1.0), ("idiots", 1.0), ("clowns", 0.9), ("garbage", 0.8), ("trash", 0.7),
        ("unbelievable", 0.6), ("fraudsters", 1.0), ("daylight robbery", 1.0), ("sick of you", 1.0),
        ("i demand", 0.7), ("demand", 0.4),
        ("theft", 1.0), ("steal", 0.9), ("stole", 0.9), ("the hell", 0.9), ("kidding me", 0.8),
        ("sick of your", 1.0), ("your excuses", 0.6), ("took my money", 0.7), ("taking my money", 0.7),
    ],
    "frustration": [
        ("frustrated", 1.0), ("frustrating", 1.0), ("frustration", 1.0), ("annoyed", 0.9),
        ("annoying", 0.9), ("irritated", 0.9), ("irritating", 0.9), ("fed up", 1.0), ("sick of", 0.9),
        ("tired of", 0.8), ("sick and tired", 1.0), ("had enough", 0.9), ("nothing works", 0.9),
        ("hassle", 0.6), ("exhausting", 0.7), ("waste of time", 0.9), ("wasting my time", 0.9),
        ("wasted", 0.6), ("going around in circles", 0.9), ("going round in circles", 0.9),
        ("runaround", 0.8), ("run around", 0.8), ("ugh", 0.8), ("argh", 0.8), ("come on", 0.5),
        ("seriously", 0.5), ("nightmare", 0.8), ("headache", 0.6), ("ignored", 0.8), ("ignoring", 0.8),
        ("at my wits end", 1.0), ("wits end", 1.0), ("keeps crashing", 0.6), ("keeps failing", 0.6),
        ("keeps freezing", 0.6), ("drives me crazy", 0.9), ("driving me crazy", 0.9), ("driving me nuts", 0.9),
        ("give up", 0.6), ("giving up", 0.6), ("stuck", 0.4), ("impossible", 0.5), ("exasperated", 1.0),
        ("complicated", 0.6), ("spent hours", 0.6), ("so hard", 0.5),
    ],
    "disappointment": [
        ("disappointed", 1.0), ("disappointing", 1.0), ("disappointment", 1.0), ("let down", 0.9),
        ("letdown", 0.9), ("expected better", 1.0), ("expected more", 1.0), ("not what i expected", 1.0),
        ("not as described", 0.8), ("used to love", 0.8), ("used to be", 0.4), ("a shame", 0.7),
        ("shame", 0.5), ("unfortunately", 0.4), ("underwhelming", 0.9), ("underwhelmed", 0.9),
        ("poor quality", 0.7), ("cheaply made", 0.7), ("regret", 0.7), ("mediocre", 0.8), ("meh", 0.6),
        ("not worth", 0.8), ("was hoping", 0.6), ("had hoped", 0.6), ("bit of a letdown", 1.0),
        ("falls apart", 0.6), ("fell apart", 0.6), ("looks nothing like", 0.8), ("not the same", 0.4),
        ("a pity", 0.7), ("too bad", 0.5),
        ("sadly", 0.5), ("what it used to be", 0.8), ("gone downhill", 0.9),
        ("thought you were better", 0.9), ("thought better of you", 0.9), ("expected more from you", 1.0),
    ],
    "confusion": [
        ("confused", 1.0), ("confusing", 1.0), ("confusion", 0.9), ("don't understand", 1.0),
        ("do not understand", 1.0), ("doesn't make sense", 1.0), ("does not make sense", 1.0),
        ("makes no sense", 1.0), ("unclear", 0.8), ("not sure", 0.6), ("no idea", 0.6),
        ("what does this mean", 1.0), ("what does that mean", 1.0), ("what do you mean", 0.9),
        ("i'm lost", 0.9), ("puzzled", 1.0), ("baffled", 1.0), ("can't figure out", 0.9),
        ("cannot figure out", 0.9), ("can't work out", 0.8), ("huh", 0.7), ("wait what", 0.8),
        ("misleading", 0.6), ("contradicting", 0.7), ("contradictory", 0.7), ("different answers", 0.8),
        ("mixed messages", 0.8), ("don't get it", 0.9), ("do not get it", 0.9), ("struggling to understand", 1.0),
        ("am i missing something", 0.9), ("doesn't add up", 0.8), ("what am i supposed to", 0.8),
        ("which one", 0.4), ("i thought", 0.4), ("is that right", 0.4), ("bewildered", 1.0),
        ("not clear", 0.8), ("why does it say", 0.6), ("why is it saying", 0.6), ("makes zero sense", 1.0),
        ("two different things", 0.9), ("says two different", 0.9), ("could you explain", 0.5), ("can you explain", 0.5), ("how is that possible", 0.6),
    ],
    "anxiety": [
        ("worried", 1.0), ("worry", 0.8), ("worrying", 0.9), ("nervous", 1.0), ("anxious", 1.0),
        ("scared", 1.0), ("afraid", 0.9), ("frightened", 1.0), ("terrified", 1.0), ("panic", 1.0),
        ("panicking", 1.0), ("concerned", 0.8), ("concerning", 0.8), ("alarmed", 0.9), ("stressed", 0.8),
        ("stressful", 0.8), ("stressing", 0.8), ("hacked", 0.9), ("fraud", 0.8), ("fraudulent", 0.8),
        ("unauthorized", 0.8), ("unauthorised", 0.8), ("stolen", 0.7), ("suspicious", 0.7),
        ("is it safe", 0.6), ("is my money safe", 1.0), ("is my data safe", 1.0), ("freaking out", 1.0),
        ("uneasy", 0.8), ("identity theft", 1.0), ("data breach", 0.9), ("security breach", 0.9),
        ("phishing", 0.8), ("don't recognise", 0.6), ("don't recognize", 0.6), ("do not recognise", 0.6),
        ("do not recognize", 0.6), ("what if", 0.4), ("someone else logged", 0.8), ("someone logged into", 0.8),
    ],
    "sadness": [
        ("sad", 1.0), ("upset", 0.7), ("heartbroken", 1.0), ("devastated", 1.0), ("crushed", 0.8),
        ("depressed", 0.9), ("miserable", 0.9), ("crying", 0.9), ("in tears", 1.0), ("ruined", 0.7),
        ("passed away", 1.0), ("funeral", 0.8), ("died", 0.7), ("gutted", 0.9), ("broke my heart", 1.0),
        ("sentimental", 0.6), ("irreplaceable", 0.7), ("hurt", 0.5), ("lonely", 0.8), ("grief", 0.9),
        ("tough time", 0.8), ("hard time", 0.7), ("unhappy", 0.6), ("heartbreaking", 1.0),
        ("my late", 0.7), ("was a gift", 0.4), ("means so much", 0.5), ("meant so much", 0.6),
        ("feel awful", 1.0), ("feel terrible", 1.0), ("lost my job", 0.8), ("breaking my heart", 1.0),
    ],
    "positive": [
        ("thanks", 0.35), ("thank you", 0.4), ("thank u", 0.4), ("thx", 0.3), ("great", 0.5),
        ("awesome", 0.8), ("amazing", 0.8), ("perfect", 0.7), ("excellent", 0.8), ("fantastic", 0.8),
        ("wonderful", 0.8), ("brilliant", 0.8), ("love", 0.6), ("loved", 0.6), ("appreciate", 0.6),
        ("appreciated", 0.6), ("helpful", 0.6), ("happy", 0.6), ("happier", 0.8), ("glad", 0.6),
        ("pleased", 0.6), ("delighted", 0.9), ("satisfied", 0.5), ("works now", 0.8), ("working now", 0.8),
        ("you're the best", 1.0), ("lifesaver", 1.0), ("life saver", 1.0), ("cheers", 0.4), ("nice", 0.4),
        ("good", 0.3), ("no worries", 0.5), ("all good", 0.6), ("that worked", 0.8), ("it worked", 0.8),
        ("much appreciated", 0.9), ("well done", 0.7), ("superb", 0.8), ("impressed", 0.7),
        ("thank you so much", 1.0), ("thanks so much", 1.0), ("thanks a million", 1.0), ("so helpful", 0.8),
        ("great service", 0.8), ("quick response", 0.5), ("fast delivery", 0.6), ("can't wait", 0.6),
        ("excited", 0.7), ("smooth", 0.4), ("sorted it", 0.6), ("problem solved", 0.8), ("legend", 0.8),
        ("grateful", 0.8), ("relieved", 0.7), ("phew", 0.6), ("yay", 0.8), ("love it", 0.9),
        ("thanks for your help", 0.8), ("thanks for the help", 0.8), ("thank you for your help", 0.8),
        ("thanks for the quick", 0.8), ("thanks for fixing", 0.8), ("thanks for sorting", 0.8),
        ("thank you for fixing", 0.8), ("thanks for helping", 0.8), ("thank you for helping", 0.8),
        ("the best", 0.8), ("perfectly", 0.6), ("fits perfectly", 0.8), ("friendly", 0.6), ("thank him", 0.6),
        ("thank her", 0.6), ("that was kind", 0.7), ("so kind", 0.7), ("thoughtful", 0.6),
    ],
}

# Words that only signal something when negated ("not fair", "would not recommend"): label when negated.
NEGATABLE: dict[str, str] = {
    "happy": "disappointment", "satisfied": "disappointment", "pleased": "disappointment",
    "impressed": "disappointment", "good": "disappointment", "great": "disappointment",
    "recommend": "disappointment", "worth": "disappointment", "thrilled": "disappointment",
    "helpful": "frustration", "help": "frustration", "okay": "frustration", "ok": "frustration",
    "fair": "anger", "acceptable": "anger", "fun": "frustration", "amused": "anger", "clear": "confusion",
    "sure": "confusion",
}

NEGATORS = frozenset({
    "not", "n't", "nt", "never", "no", "hardly", "barely", "without", "neither", "nor", "cannot",
    "dont", "doesnt", "didnt", "isnt", "wasnt", "cant", "wont", "aint", "no longer",
})
# Tokens that end the reach of a negator ("not angry, just confused").
CLAUSE_BREAKS = frozenset({",", ".", ";", "!", "?", "but", "just", "and", "though", "although", "however", "-", "—"})

INTENSIFIERS = frozenset({
    "really", "very", "so", "extremely", "incredibly", "absolutely", "totally", "completely", "utterly",
    "super", "beyond", "truly", "highly", "deeply", "terribly", "awfully", "insanely", "ridiculously",
    "unbelievably", "freaking", "fricking", "bloody", "fucking", "too", "seriously", "genuinely",
    "massively", "hugely", "incredibly", "beyond", "properly", "sooo", "soooo", "reallyyy", "veryyy",
})

# Repeated contact: kind "repeat_contact", label frustration.
REPEAT_PHRASES: list[tuple[str, float]] = [
    ("second time", 0.7), ("third time", 0.9), ("fourth time", 1.0), ("fifth time", 1.0), ("2nd time", 0.7),
    ("3rd time", 0.9), ("4th time", 1.0), ("5th time", 1.0), ("umpteenth time", 1.0), ("hundredth time", 1.0),
    ("nth time", 1.0), ("once again", 0.7), ("yet again", 0.9), ("again and again", 1.0),
    ("over and over", 0.9), ("every time", 0.5), ("multiple times", 0.8), ("several times", 0.8),
    ("many times", 0.7), ("so many times", 0.9), ("countless times", 1.0), ("how many times", 1.0),
    ("how many more times", 1.0), ("already contacted", 0.8), ("already called", 0.8),
    ("already emailed", 0.8), ("already asked", 0.8), ("already told", 0.8), ("already explained", 0.8),
    ("already sent", 0.6), ("already tried", 0.6), ("already did", 0.5), ("contacted you before", 0.7),
    ("same issue", 0.6), ("same problem", 0.6), ("same thing", 0.4), ("same answer", 0.7),
    ("same reply", 0.7), ("keeps happening", 0.8), ("happened again", 0.9), ("not the first time", 0.9),
    ("keep getting", 0.6), ("keep being", 0.6), ("keep asking", 0.7), ("keep telling", 0.7),
    ("i keep", 0.4), ("still nothing", 1.0), ("still no", 0.8), ("still not", 0.9), ("still waiting", 0.9),
    ("still broken", 0.9), ("still missing", 0.9), ("still haven't", 0.9), ("still hasn't", 0.9),
    ("still have not", 0.9), ("still has not", 0.9), ("still isn't", 0.9), ("still doesn't", 0.9),
    ("still does not", 0.9), ("still can't", 0.9), ("still cannot", 0.9), ("still won't", 0.9),
    ("still the same", 0.8), ("still getting", 0.7), ("still charging", 0.8), ("still charged", 0.8),
    ("still showing", 0.6), ("still happening", 0.9), ("still stuck", 0.8), ("still pending", 0.7),
    ("still down", 0.8), ("still crashing", 0.9), ("still failing", 0.9), ("still wrong", 0.9),
    ("still unresolved", 1.0), ("still don't", 0.9), ("still didn't", 0.9), ("still wasn't", 0.8),
    ("round in circles", 0.6), ("asked before", 0.7), ("told before", 0.7), ("last time", 0.4),
    ("same bug", 0.7), ("same error", 0.7), ("twice already", 0.8), ("asked twice", 0.8), ("called twice", 0.8),
    ("emailed twice", 0.8), ("as last time", 0.6), ("like last time", 0.6), ("in a row", 0.8),
    ("here we go again", 1.0),
]
# Words that turn a bare "again" into a complaint rather than a polite request ("send it again").
CONTACT_VERBS = frozenset({"asked", "called", "emailed", "contacted", "told", "written", "wrote", "tried",
                           "explained", "messaged", "rang", "phoned", "chatted", "transferred", "sent", "been"})
AGAIN_POLITE = frozenset({"can", "could", "would", "please", "pls", "try", "retry", "resend"})

# Waiting: kind "waiting", label frustration.
WAITING_PHRASES: list[tuple[str, float]] = [
    ("no reply", 0.8), ("no response", 0.8), ("no answer", 0.7), ("no update", 0.7), ("no updates", 0.7),
    ("no news", 0.6), ("no word", 0.6), ("never heard back", 0.9), ("haven't heard back", 0.8),
    ("have not heard back", 0.8), ("haven't heard anything", 0.8), ("heard nothing", 0.8),
    ("nobody got back", 0.9), ("no one got back", 0.9), ("nobody has got back", 0.9),
    ("no one has got back", 0.9), ("nobody replied", 0.9), ("no one replied", 0.9),
    ("nobody has replied", 0.9), ("no one has replied", 0.9), ("never got back", 0.9),
    ("never replied", 0.9), ("never responded", 0.9), ("been waiting", 0.8), ("kept waiting", 0.8),
    ("keep waiting", 0.7), ("waiting forever", 1.0), ("on hold", 0.6), ("waited", 0.6),
    ("waiting for ages", 1.0), ("waiting ages", 1.0), ("for ages", 0.8), ("taking forever", 0.9),
    ("takes forever", 0.8), ("taking so long", 0.9), ("so long", 0.5), ("too long", 0.7),
    ("never arrived", 0.7), ("never received", 0.7), ("never came", 0.7), ("never got it", 0.7),
    ("hasn't arrived", 0.5), ("has not arrived", 0.5), ("haven't received", 0.5), ("have not received", 0.5),
    ("didn't arrive", 0.5), ("did not arrive", 0.5), ("not arrived yet", 0.6), ("still not here", 0.8),
    ("hasn't shown up", 0.5), ("overdue", 0.7), ("days late", 0.8), ("weeks late", 0.9),
    ("for weeks", 0.8), ("for days", 0.7), ("for months", 0.9), ("for hours", 0.7), ("all day", 0.5),
    ("since monday", 0.6), ("since tuesday", 0.6), ("since wednesday", 0.6), ("since thursday", 0.6),
    ("since friday", 0.6), ("since saturday", 0.6), ("since sunday", 0.6), ("since last week", 0.8),
    ("since last month", 0.9), ("since yesterday", 0.5), ("since this morning", 0.5),
    ("over a week", 0.8), ("over a month", 0.9), ("more than a week", 0.8), ("a week ago", 0.6),
    ("a month ago", 0.8), ("weeks ago", 0.8), ("months ago", 0.9), ("no reply yet", 0.9),
    ("no one answers", 0.8), ("nobody answers", 0.8), ("nobody is answering", 0.8), ("still waiting", 0.9),
    ("another week", 0.7), ("another month", 0.8), ("another day", 0.5), ("hours trying", 0.6),
]
# "<number> <unit>" counts as waiting when one of these stands right before or after it.
DURATION_UNITS = frozenset({"minutes", "hours", "days", "weeks", "months", "years", "week", "month", "day", "hour"})
DURATION_NUMBERS = frozenset({
    "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven", "twelve", "fifteen",
    "twenty", "thirty", "forty", "several", "many", "few", "couple", "a", "an", "multiple",
})
WAIT_BEFORE = frozenset({"for", "over", "after", "been", "waited", "waiting", "past", "last", "nearly", "almost"})
WAIT_AFTER = frozenset({"ago", "now", "later", "already", "late"})

# Deadlines and urgency: kind "deadline", label urgency. These hold on their own...
DEADLINE_PHRASES: list[tuple[str, float]] = [
    ("asap", 1.0), ("a.s.a.p", 1.0), ("a.s.a.p.", 1.0), ("as soon as possible", 0.9), ("urgent", 1.0),
    ("urgently", 1.0), ("emergency", 1.0), ("immediately", 0.8), ("right away", 0.7), ("straight away", 0.7),
    ("time sensitive", 0.9), ("time-sensitive", 0.9), ("deadline", 0.9), ("hurry", 0.8),
    ("running out of time", 1.0), ("within the hour", 0.9), ("within an hour", 0.9),
    ("in the next hour", 0.9), ("by end of day", 0.9), ("by the end of the day", 0.9), ("by eod", 0.9),
    ("by end of week", 0.8), ("by tomorrow", 0.9), ("by tonight", 0.9), ("by today", 0.9),
    ("before tomorrow", 0.9), ("before tonight", 0.9), ("before the weekend", 0.9), ("by the weekend", 0.8),
    ("before christmas", 0.8), ("by christmas", 0.8), ("before my flight", 1.0), ("my flight", 0.6),
    ("critical", 0.6), ("top priority", 0.7), ("can't wait any longer", 0.8), ("cannot wait any longer", 0.8),
    ("last minute", 0.6), ("need it now", 1.0), ("need this now", 1.0), ("right now", 0.6),
    ("rush", 0.5), ("ends tonight", 0.8), ("ends today", 0.8), ("expires today", 0.8), ("expires tonight", 0.8),
    ("goes live", 0.6),
]
# ...and these ("today", "before Friday") only next to a need ("I need it before Friday").
WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
DEADLINE_WORDS = frozenset({"today", "tonight", "tomorrow", "noon", "midnight", "5pm", "quickly"})
# "before the exam", "by the wedding": an event that sets the deadline.
EVENTS = frozenset({"exam", "interview", "wedding", "meeting", "flight", "deadline", "weekend", "party", "event",
                    "funeral", "trip", "holiday", "launch", "presentation", "appointment", "birthday"})
DEADLINE_PREPS = frozenset({"by", "before", "until", "till"})
NEED_WORDS = frozenset({
    "need", "needs", "needed", "must", "have", "has", "got", "gotta", "require", "required", "want",
    "please", "pls", "asap", "urgent", "should", "expect", "expecting",
})
QUICKLY_WORDS: list[tuple[str, float]] = [("quickly", 0.5), ("fast", 0.4), ("soon", 0.3)]

# Escalation threats: kind "escalation", label anger.
ESCALATION_PHRASES: list[tuple[str, float]] = [
    ("manager", 0.7), ("supervisor", 0.8), ("your boss", 0.8), ("someone in charge", 0.8),
    ("someone senior", 0.8), ("speak to a human", 0.7), ("talk to a human", 0.7), ("real person", 0.6),
    ("lawyer", 1.0), ("attorney", 1.0), ("solicitor", 1.0), ("legal action", 1.0), ("take legal", 1.0),
    ("sue", 1.0), ("suing", 1.0), ("court", 0.8), ("small claims", 1.0), ("ombudsman", 1.0),
    ("trading standards", 1.0), ("consumer protection", 1.0), ("bbb", 0.9), ("better business bureau", 1.0),
    ("report you", 0.9), ("reporting you", 0.9), ("chargeback", 0.9), ("charge back", 0.8),
    ("dispute the charge", 0.9), ("dispute it with my bank", 0.9), ("disputing it", 0.9),
    ("disputing the charge", 0.9), ("dispute it", 0.8), ("bad review", 0.9),
    ("negative review", 0.9), ("1 star", 0.9), ("one star", 0.9), ("1-star", 0.9), ("one-star", 0.9),
    ("leave a review", 0.6), ("write a review", 0.6), ("trustpilot", 0.8), ("social media", 0.7),
    ("twitter", 0.6), ("tell everyone", 0.8), ("never again", 0.9), ("never buying", 0.9),
    ("never ordering", 0.9), ("never shopping", 0.9), ("never use you", 0.9), ("switching to", 0.7),
    ("take my business elsewhere", 1.0), ("go elsewhere", 0.8), ("competitor", 0.6), ("last chance", 0.8),
    ("final warning", 1.0), ("or else", 0.9), ("refund or", 1.0), ("fix it or", 1.0), ("fix this or", 1.0),
    ("or i will", 0.8), ("or i'll", 0.8), ("or i am", 0.7), ("or i'm", 0.7), ("escalate this", 0.7),
    ("cancel everything", 0.9), ("want my money back", 0.8),
]
CANCEL_WORDS = frozenset({"cancel", "cancelling", "canceling", "cancelled", "canceled", "unsubscribe", "leave", "leaving"})
# "cancel" is a threat only after "I'll", "going to", "or"...; "How do I cancel?" is a plain request.
THREAT_BEFORE = frozenset({"will", "'ll", "ll", "going", "gonna", "ready", "about", "or", "otherwise", "else", "definitely", "seriously"})

# Sarcasm: a positive word that the rest of the message contradicts ("great, another delay").
SARCASM_POSITIVE = frozenset({
    "great", "wonderful", "fantastic", "perfect", "brilliant", "awesome", "lovely", "amazing", "nice",
    "excellent", "terrific", "superb", "marvellous", "marvelous", "splendid", "fabulous", "cool", "love",
    "thanks", "thank", "helpful",
})
SARCASM_NEXT = frozenset({"another", "again", "now", "more", "just", "yet", "still", "exactly", "so", "that",
                          "being", "how", "when", "waiting"})
# Said with a straight face these are sarcastic whatever follows.
SARCASM_PHRASES: list[tuple[str, str, float]] = [
    ("thanks for nothing", "anger", 1.0), ("thanks a lot for nothing", "anger", 1.0),
    ("thank you for nothing", "anger", 1.0), ("yeah right", "frustration", 0.9),
    ("yeah, right", "frustration", 0.9), ("surprise surprise", "frustration", 0.9),
    ("surprise, surprise", "frustration", 0.9), ("what a surprise", "frustration", 0.8),
    ("big surprise", "frustration", 0.8), ("shocker", "frustration", 0.8), ("slow clap", "anger", 0.9),
    ("at its finest", "frustration", 0.9), ("at its best", "frustration", 0.6), ("oh great", "frustration", 0.8),
    ("oh wonderful", "frustration", 0.8), ("oh perfect", "frustration", 0.8), ("oh joy", "frustration", 0.9),
    ("oh fantastic", "frustration", 0.8), ("just great", "frustration", 0.8), ("just perfect", "frustration", 0.8),
    ("just wonderful", "frustration", 0.8), ("just brilliant", "frustration", 0.8),
    ("just what i needed", "frustration", 0.8), ("love how", "frustration", 0.7), ("love that", "frustration", 0.5),
    ("love it when", "frustration", 0.6), ("love being", "frustration", 0.8), ("love waiting", "frustration", 0.9),
    ("appreciate being", "frustration", 0.8), ("so helpful", "frustration", 0.6), ("very helpful", "frustration", 0.6),
    ("really helpful", "frustration", 0.6), ("great job", "frustration", 0.6), ("good job", "frustration", 0.6),
    ("well done", "frustration", 0.6), ("nice job", "frustration", 0.6), ("great service", "frustration", 0.6),
    ("fantastic service", "frustration", 0.6), ("excellent service", "frustration", 0.6),
    ("amazing service", "frustration", 0.6), ("top notch", "frustration", 0.6), ("world class", "frustration", 0.6),
    ("bravo", "frustration", 0.7), ("what a joke", "anger", 1.0), ("10/10", "frustration", 0.6),
    ("great, thanks", "frustration", 0.5),
]
# Phrases in SARCASM_PHRASES that are sarcastic unconditionally; the others need a negative context.
SARCASM_ALWAYS = frozenset({
    "thanks for nothing", "thanks a lot for nothing", "thank you for nothing", "yeah right", "yeah, right",
    "surprise surprise", "surprise, surprise", "what a surprise", "big surprise", "shocker", "slow clap",
    "at its finest", "oh joy", "what a joke", "love being", "love waiting", "appreciate being",
})
# Words that make a positive word around them sound sarcastic.
NEGATIVE_CONTEXT = frozenset({
    "delay", "delayed", "delays", "another", "again", "broken", "broke", "wrong", "late", "lost", "error",
    "errors", "charged", "nothing", "never", "still", "waiting", "wait", "crash", "crashed", "crashes",
    "failed", "fails", "cancelled", "canceled", "ignored", "missing", "damaged", "useless", "down",
    "hold", "nobody", "no", "not", "n't", "worse", "worst", "excuse", "excuses", "bot", "refund", "hours",
    "days", "weeks", "transferred", "disconnected", "stuck", "overcharged", "twice", "mess",
})

ACRONYMS = frozenset({
    "OK", "ID", "PIN", "USA", "UK", "EU", "PDF", "FAQ", "SMS", "UPS", "DHL", "API", "URL", "VPN", "IOS", "USB",
    "HDMI", "TV", "GPS", "CEO", "BBB", "FYI", "ETA", "AM", "PM", "EST", "PST", "UTC", "GMT", "IBAN", "VAT",
    "PS", "SIM", "HR", "DM", "PC", "RAM", "SSD", "CPU", "GB", "MB", "TB", "WIFI", "LED", "LCD", "ATM", "ISP",
    "QR", "NFC", "IMEI", "PO", "SKU", "TBH", "IMO", "BTW", "ASAP", "FAQ", "NYC", "LA", "TNT", "USPS", "EMS",
    "DPD", "GLS", "OTP", "MFA", "FA", "CVV", "IT", "AI", "APP", "SSN", "DOB", "SKU", "ORD", "INV", "REF",
    "NAME", "EUR", "USD", "GBP", "CAD", "AUD", "XL", "XXL", "XS", "II", "III", "IV", "UX", "UI", "DNS", "IP", "LOL",
})

# Emoji and emoticons: kind "emoji".
EMOJI: dict[str, tuple[str, float]] = {
    "😡": ("anger", 1.0), "🤬": ("anger", 1.0), "😠": ("anger", 0.9), "👿": ("anger", 0.8), "💢": ("anger", 0.8),
    "😤": ("frustration", 0.9), "🙄": ("frustration", 0.8), "😒": ("frustration", 0.7), "😩": ("frustration", 0.8),
    "😫": ("frustration", 0.8), "🤦": ("frustration", 0.8), "😑": ("frustration", 0.6), "😖": ("frustration", 0.7),
    "😞": ("disappointment", 0.9), "😔": ("disappointment", 0.8), "😕": ("disappointment", 0.6),
    "👎": ("disappointment", 0.8), "😐": ("disappointment", 0.4), "😣": ("frustration", 0.6),
    "🤔": ("confusion", 0.7), "😵": ("confusion", 0.7), "🤷": ("confusion", 0.6), "❓": ("confusion", 0.6),
    "😵‍💫": ("confusion", 0.8), "😟": ("anxiety", 0.9), "😨": ("anxiety", 1.0), "😰": ("anxiety", 1.0),
    "😱": ("anxiety", 0.9), "😬": ("anxiety", 0.6), "🥺": ("sadness", 0.6), "😢": ("sadness", 1.0),
    "😭": ("sadness", 1.0), "💔": ("sadness", 1.0), "😿": ("sadness", 0.8), "☹️": ("sadness", 0.7),
    "☹": ("sadness", 0.7), "🙁": ("disappointment", 0.6), "⏰": ("urgency", 0.7), "⌛": ("urgency", 0.6),
    "⏳": ("urgency", 0.6), "🚨": ("urgency", 0.9), "🆘": ("urgency", 1.0), "‼️": ("urgency", 0.5),
    "🙂": ("positive", 0.5), "😊": ("positive", 0.8), "😀": ("positive", 0.8), "😃": ("positive", 0.8),
    "😄": ("positive", 0.8), "😁": ("positive", 0.8), "😍": ("positive", 1.0), "🥰": ("positive", 1.0),
    "❤️": ("positive", 0.9), "❤": ("positive", 0.9), "💕": ("positive", 0.9), "👍": ("positive", 0.6),
    "🙏": ("positive", 0.5), "🎉": ("positive", 0.9), "🥳": ("positive", 0.9), "👏": ("positive", 0.6),
    "😂": ("positive", 0.4), "🤣": ("positive", 0.4), "😉": ("positive", 0.4), "✅": ("positive", 0.4),
    "💯": ("positive", 0.6), "🌟": ("positive", 0.7), "⭐": ("positive", 0.5), "👌": ("positive", 0.6),
}
EMOTICONS: dict[str, tuple[str, float]] = {
    ":(": ("sadness", 0.6), ":-(": ("sadness", 0.6), ":'(": ("sadness", 1.0), ">:(": ("anger", 1.0),
    ":/": ("confusion", 0.4), ":-/": ("confusion", 0.4), ":|": ("frustration", 0.4), ":)": ("positive", 0.6),
    ":-)": ("positive", 0.6), ":D": ("positive", 0.8), ":-D": ("positive", 0.8), ";)": ("positive", 0.4),
    "<3": ("positive", 0.8), "-_-": ("frustration", 0.7), ":@": ("anger", 0.9),
}


@dataclass(frozen=True)
class CueLexicon:
    """Everything the cue matcher knows, in one value: swap it to adapt assist to a team's wording."""

    emotion_phrases: dict = field(default_factory=lambda: EMOTION_PHRASES)
    negatable: dict = field(default_factory=lambda: NEGATABLE)
    repeat_phrases: list = field(default_factory=lambda: REPEAT_PHRASES)
    waiting_phrases: list = field(default_factory=lambda: WAITING_PHRASES)
    deadline_phrases: list = field(default_factory=lambda: DEADLINE_PHRASES)
    escalation_phrases: list = field(default_factory=lambda: ESCALATION_PHRASES)
    sarcasm_phrases: list = field(default_factory=lambda: SARCASM_PHRASES)
    emoji: dict = field(default_factory=lambda: EMOJI)
    emoticons: dict = field(default_factory=lambda: EMOTICONS)


CUE_LEXICON = CueLexicon()
