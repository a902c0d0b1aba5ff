"""Families of expressions the text checks read, each a regular expression over word stems.

A family names one idea in the many ways people write it ("aid", "relief", "cash
grants", "medical kits"; "conditional on", "only once", "in step with"), inflections
included. The families come from the paper's own vocabulary and from how tracks,
leverage tools and decisions are ordinarily worded; a check combines them in clause-level
patterns (aid, then a link, then a concession) in `server.domain.checks._prose`.
"""

from __future__ import annotations

from server.domain.checks._prose import family

# What humanitarians deliver and a state funds: the aid that must not become currency.
# "military aid", "development aid", "sanctions relief", "debt relief" are not it.
_NOT_HUMANITARIAN_AID = (
    r"(?<!military\s)(?<!security\s)(?<!development\s)(?<!budget\s)(?<!technical\s)(?<!trade\s)"
)
AID = family(
    rf"{_NOT_HUMANITARIAN_AID}(?:aid|assistance)",
    r"(?<!sanctions\s)(?<!debt\s)(?<!tax\s)(?<!tariff\s)relief"
    r"(?!\s+(?:from|on)\s+(?:the\s+|its\s+|their\s+)?(?:[\w'’-]+\s+)?(?:sanctions|debts?|tax\w*|tariffs?|duties|embargo))",
    r"food(?:\s+(?:aid|rations?|parcels?|baskets?|assistance|supplies|deliveries|distributions?|convoys?|envelope|stocks?))?",
    r"rations?",
    r"flour",
    r"nutrition(?:al)?\s+(?:supplies|support|programmes?|assistance)",
    r"water[\s-]+(?:trucking|supplies|supply|deliveries|distributions?|tankers?)",
    r"medical\s+(?:kits?|supplies|aid|care|teams?|assistance|evacuations?)",
    r"medicines?",
    r"vaccin(?:es?|ations?)",
    r"health\s+(?:care|services|kits?|supplies|funding|programmes?)",
    r"(?:hospital|clinic|health|relief|humanitarian|emergency|aid|nutrition|food|water|shelter|medical|vaccination|education|"
    r"cholera|outbreak|epidemic|protection|WASH|sanitation|winter|cash)\s+"
    r"(?:funding|funds|grants?|money|budgets?)",
    # health care funded as the object of a verb: "fund two new health centres", "equip the clinics"
    r"(?<=\s)(?:(?:fund|financ|build|rebuild|equip|staff|suppl|run)\w*\s+(?:[\w'’-]+\s+){0,3}?)"
    r"(?:hospitals?|clinics?|health\s+(?:centres?|centers?|posts?|facilities))",
    r"(?:funding|support|assistance|supplies)\s+(?:for|of|to)\s+(?:the\s+|their\s+|its\s+)?(?:[\w'’-]+\s+)?"
    r"(?:hospitals?|clinics?|health\s+(?:centres?|centers?|posts?)|relief|aid|shelters?|camps?)",
    r"shelters?",
    r"mobile\s+(?:clinics?|health\s+teams?|health\s+units?)",
    # the paper's "protection programmes, cash assistance and other services"
    r"(?:protection|child\s+protection|psychosocial|mental\s+health|case\s+management|legal\s+aid|nutrition|WASH|"
    r"sanitation)\s+services",
    r"tents",
    r"non-food\s+items|NFIs?|(?:cash\s+|food\s+)?vouchers|(?:mosquito|bed)\s*nets",
    r"blankets",
    r"(?:hygiene|winter|dignity|medical|school|surgical|surgery|trauma|first[\s-]aid|shelter|kitchen|family|baby|midwifery|"
    r"emergency|health|cholera)\s+kits",
    # supplies brought again to those who run out: "the hospital resupply"
    r"re-?suppl(?:y|ies|ied|ying)",
    r"seeds?(?:\s+and\s+tools)?",
    r"cash(?:\s+(?:grants?|transfers?|assistance|programmes?|payments?|aid|distributions?))?",
    r"(?:our|the|these|partner|NGO|emergency|humanitarian|relief|small|its|their|reconstruction|recovery)\s+grants",
    r"humanitarian\s+(?:funding|programmes?|envelope|budget|support|package|operations|assistance|supplies|cargo|goods|deliveries|aid|funds)",
    r"(?:aid|relief|humanitarian|food|medical|medicine|vaccine)\s+(?:convoys?|trucks?|shipments?|consignments?)",
    r"convoys?",
    r"deliveries",
    r"(?<!arms\s)supplies",
    r"distributions?",
    r"(?<!arms\s)(?<!weapons\s)fuel(?!\s+licen)",
    r"school\s+feeding",
    r"humanitarian\s+(?:track|work|response|engagement|objectives?|efforts?|initiative|exemptions?)",
    r"(?:cholera|outbreak|epidemic|health|nutrition|emergency|flood|drought|winter|famine|relief)\s+response",
    r"(?:wheat|grain|maize|rice|sorghum|flour|seed|fertili[sz]er)\s+(?:shipments?|deliveries|consignments?|aid|supplies|stocks?)",
    r"drugs|insulin|antibiotics|therapeutic\s+food|nutrition",
    r"(?:safe|drinking|clean)\s+water|sanitation|hygiene|latrines|WASH|water\s+points?|boreholes?",
    r"school\s+meals|winteri[sz]ation|livelihoods?\s+(?:support|programmes?|grants?)|cash-for-work",
    r"(?:protection|psychosocial|education|health|nutrition|food\s+security|water|sanitation|shelter|relief|"
    r"vaccination|immuni[sz]ation)\s+(?:programmes?|projects?)",
    r"(?:humanitarian|appeal|emergency|relief)\s+(?:pledges?|contributions?|allocations?|tranches?)",
    r"(?:pledge|contribution)\s+to\s+the\s+(?:[\w'’-]+\s+){0,2}?appeal",
    r"exemptions?\s+for\s+(?:aid|relief|humanitarian\w*)",
    r"(?:medical|food|aid|relief|supply|humanitarian|nutrition|health)\s+pipelines?",
    # protection work: mines cleared from land people need, families traced and put back in touch
    r"(?:humanitarian\s+)?de-?mining|(?:mine|landmine|UXO|ordnance)\s+clearance|clearance\s+of\s+(?:the\s+)?(?:[\w'’-]+\s+)?"
    r"(?:mined|contaminated)\s+(?:\w+\s+)?(?:land|farmland|fields|areas|roads)",
    r"family\s+(?:tracing|reunification|links|messages?)|(?:restoring|restoration\s+of)\s+family\s+links|"
    r"(?:tracing|message|messaging)\s+services",
)

# What the parties owe under IHL: letting aid and aid workers through.
ACCESS = family(
    r"(?:humanitarian\s+|relief\s+|aid\s+|unimpeded\s+|safe\s+|crossline\s+|cross-line\s+)?access",
    r"(?:safe\s+)?passage",
    r"(?:humanitarian|relief|aid|safe)\s+(?:corridors?|routes?|crossings?|windows?)",
    r"corridors?",
    r"crossings?",
    r"evacuations?",
    r"medevacs?",
    r"movement\s+of\s+(?:aid\s+|relief\s+|humanitarian\s+|medical\s+)?(?:staff|teams?|workers|convoys?|relief|aid|ambulances?)",
    r"entry\s+(?:of|for)\s+(?:aid|relief|humanitarian|staff|convoys?|agencies|NGOs)",
    r"entry\s+(?:of|for)\s+(?:the\s+|our\s+)?(?:[\w'’-]+\s+)?(?:teams?|missions?|staff|workers|convoys?|trucks)",
    # the aid's vehicles let through: "clearance of the school-supply trucks"
    r"(?:clearance|passage|entry|crossing)\s+(?:of|for)\s+(?:the\s+|our\s+|their\s+)?(?:[\w'’-]+\s+){0,2}?"
    r"(?:trucks|lorries|convoys?|shipments?|consignments?|cargo|barges|boats)",
    r"open\w*\s+(?:of\s+)?(?:its\s+|the\s+|their\s+)?(?:[\w'’-]+\s+)?(?:camps?|crossings?|corridors?|roads?|routes?|border|pass|ports?|airport)"
    r"(?:\s+to\s+(?:[\w'’-]+\s+)?(?:NGOs|agencies|aid|relief|humanitarian\w*|convoys?))?",
    r"(?:work|travel)\s+permits",
)

# What IHL protects at all times: stopping attacks on it is compliance, not a halt in the fighting.
_PROTECTED = (
    r"(?:the\s+|its\s+|their\s+)?(?:[\w'’-]+\s+)?(?:civilians?|hospitals?|schools?|clinics?|water|health|aid|medical|"
    r"humanitarian|markets?|homes?|facilities|infrastructure|staff|workers|convoys?|camps?)"
)
# The fighting itself, in the words a halt takes as its object ("military operations", not "our operations").
_FIGHTING = (
    r"(?:the\s+|all\s+|its\s+|their\s+|any\s+)?(?:[\w'’-]+\s+)?"
    r"(?:fighting|hostilities|shelling|firing|shooting|gunfire|attacks|bombardments?|bombing|offensive|combat|clashes|"
    r"airstrikes|air\s+strikes|military\s+(?:operations|activit(?:y|ies)|action)|combat\s+operations|siege|assault|advance|war|"
    r"raids|incursions|ambushes|strikes)"
    # not attacks on what IHL protects at all times: "the cessation of attacks on water facilities" is compliance
    rf"(?!\s+(?:on|against|of)\s+{_PROTECTED})"
)
# A halt in the fighting: what N1 says access must never wait for.
HALT = family(
    # a stop named with what it stops: "a freeze on military operations", "a halt to all military activity",
    # "silence their guns", "the bombing is suspended", "lay down their arms", "a hudna"
    # written as one compound too: "a cessation-of-hostilities agreement"
    rf"(?:freeze|moratorium|halt|stop|end|suspension|cessation|hold|pause)[\s-]+(?:on|to|of)[\s-]+{_FIGHTING}",
    rf"(?:halt|stop|suspend|freez|froze|end|cease|paus)\w*\s+{_FIGHTING}",
    r"(?:the\s+)?(?:siege|bombing|bombardments?|shelling|offensive|airstrikes|air\s+(?:strikes|raids)|drone\s+strikes|raids|"
    r"fighting|hostilities|military\s+operations)\s+(?:is|are|be|being|been)\s+"
    r"(?:lifted|suspended|paused|halted|stopped|frozen|put\s+on\s+hold|called\s+off)",
    r"silenc\w*\s+(?:the\s+|their\s+|its\s+)?guns|guns\s+(?:are\s+|be\s+)?silenced|lay\w*\s+down\s+(?:their\s+|its\s+)?(?:arms|weapons)",
    r"hudnas?|stand-?still\s+agreements?",
    r"cease[\s-]*fires?",
    r"truces?",
    r"armistices?",
    # the halt by its initials: a cessation of hostilities (agreement)
    r"(?-i:CoHA?|CoHs)",
    # a pause "in the vaccination round" is work stopping, not the fighting
    r"(?<!no\s)pauses?(?!\s+(?:in|of)\s+(?:the\s+|our\s+|its\s+|their\s+|all\s+|new\s+)?(?:[\w'’-]+\s+)?"
    r"(?:rounds?|programmes?|programs?|registration|admissions|distributions?|deliveries|payments?|classes|services|"
    r"work|activities|operations|repairs|construction|projects?|campaigns?|recruitment|enrolment|intake)\b)",
    r"lulls?",
    r"(?:quiet|calm|silent)\s+(?:hours?|periods?|days?|windows?|nights?|weeks?|weekends?|spells?|stretch(?:es)?)",
    # a span of time named by the fighting it lacks: "a weekend without shelling", "48 hours free of fighting"
    r"(?:hours?|periods?|days?|windows?|nights?|weeks?|weekends?|spells?|stretch(?:es)?)\s+(?:without|free\s+of|with\s+no)\s+"
    r"(?:any\s+)?(?:fighting|hostilities|shelling|firing|shooting|gunfire|attacks|bombardments?|bombing|combat|clashes|airstrikes)"
    rf"(?!\s+(?:on|against|of)\s+{_PROTECTED})",
    r"(?:halt|stop|cessation|suspension|end|freeze|let-up|break|interruption|pause)[\s-]+(?:in|of|to)[\s-]+(?:the\s+)?"
    r"(?:fighting|hostilities|shelling|firing|fire|attacks|bombardments?|bombing|offensive|combat|clashes|airstrikes)"
    rf"(?!\s+(?:on|against|of)\s+{_PROTECTED})",
    r"days?\s+of\s+(?:tranquill?ity|calm|silence)",
    r"(?:hold|holds|held|cease|ceases|ceased|stop|stops|stopped)\s+(?:their\s+|its\s+)?fir(?:e|ing)",
    r"without\s+firing",
    r"respites?|moratori(?:um|a)\s+on\s+(?:the\s+)?(?:attacks|shelling|strikes|airstrikes|bombing|fighting|hostilities|offensives?)",
    r"no-?(?:fire|strike|shooting|shelling)\s+(?:periods?|days?|hours?|zones?|arrangements?)|non-?aggression",
    r"(?:pause|hold|suspend|halt|stop|call)\w*\s+off\s+(?:the\s+|its\s+|their\s+)?(?:offensive|assault|attack)|"
    r"(?:pause|paus\w+|hold\w*)\s+(?:the\s+|its\s+|their\s+)?(?:offensive|assault|advance|military\s+operations|attacks)",
    r"(?:freez\w*|froze\w*)\s+(?:of\s+|on\s+)?(?:the\s+)?front[\s-]*lines?|front[\s-]*lines?\s+(?:are\s+|is\s+)?frozen",
    r"(?:things|the\s+situation|the\s+area|the\s+valley|the\s+district|the\s+front)\s+(?:is|are|gets?|becomes?|has\s+become|goes|go)\s+(?:quiet|calm|calmer|quieter)",
    r"(?:agree\w*|commit\w*|promis\w*|undertak\w*|pledg\w*)\s+not\s+to\s+(?:fight|shoot|fire|attack|shell)\w*",
    r"refrain\w*\s+from\s+(?:fighting|firing|shooting|attacks|shelling|hostilities|military\s+operations)",
    r"silence\s+of\s+the\s+guns",
    r"guns\s+(?:to\s+|must\s+|should\s+|will\s+|would\s+|have\s+to\s+)?(?:fall|falls|falling|fell|are|be|go|going|went|stay|stays|remain|remains)\s+silent",
    r"cessation\s+(?:arrangements?|agreements?|deals?|talks|terms)",
    r"(?:stand|stands|standing|stood)\s+down",
    # not tensions between communities ("de-escalation of tensions between camp residents and the host town")
    r"de-?escalation(?!\s+of\s+(?:the\s+)?(?:[\w'’-]+\s+)?tensions?\s+(?:between|among|within|in)\s+(?:the\s+)?"
    r"(?:[\w'’-]+\s+)?(?:camps?|residents|hosts?|communit\w*|famil\w*|displaced|households|neighbou?rs|villagers|"
    r"refugees|returnees|clans|tribes))",
    r"(?:calm|quiet|silence)\s+(?:along|on|at|across)\s+(?:the\s+)?(?:front[\s-]*lines?|front|line\s+of\s+contact|contact\s+line)",
    r"(?:windows?|periods?|hours?|days?|nights?|weeks?|weekends?|spells?)\s+of\s+(?:calm|quiet|silence|tranquill?ity)",
    r"(?:front|front\s*lines?|area|district|city|town|guns|fighting|border)\s+(?:goes|go|went|is|are|falls?|fell|stays?|remains?|becomes?|"
    r"(?:has|have|had)\s+(?:been|stayed|remained|gone|fallen)|(?:is|are)\s+kept)\s+(?:\w+\s+)?"
    r"(?:quiet|silent|calm)",
    r"calm\s+(?:to\s+)?(?:returns?|return|is\s+restored|be\s+restored|prevails?|holds?)|(?:restor\w*|return\w*)\s+(?:of\s+)?calm",
    r"(?:military\s+)?operations\s+(?:are\s+|is\s+|have\s+been\s+)?(?:suspended|paused|halted|stopped)",
    r"(?:temporary|local|partial|short|limited)\s+cessations?",
    r"standstills?|cooling-off\s+periods?|(?:military|operational)\s+(?:freeze|standstill)",
    r"(?:stop|halt|end|suspend|freez|cease)\w*\s+(?:the\s+|all\s+|its\s+|their\s+)?(?:fighting|hostilities|shelling|shooting|gunfire|attacks|bombing|"
    r"bombardments?|offensive|airstrikes|military\s+operations)",
    r"(?:the\s+)?(?:fighting|shelling|shooting|gunfire|hostilities|firing|bombing|bombardments?|clashes|airstrikes|offensive|guns|"
    # not "strikes" alone (dockworkers strike) nor "violence" (at a distribution point, the work's own safety)
    r"air\s+(?:strikes|raids)|drone\s+strikes|(?:air\s+)?raids|war)\s+"
    r"(?:(?:of|in|on|around|near|along|over|across|against)\s+(?:[\w'’-]+\s+){1,3}?|"
    r"(?:there|here|locally|nearby|in\s+the\s+area|on\s+the\s+ground)\s+)?"
    r"(?:stops?|stopped|ends?|ended|ceases?|ceased|subsides?|subsided|dies\s+down|died\s+down|is\s+over|are\s+over|"
    r"has\s+stopped|have\s+stopped|pauses?|halts?|halted|calms?\s+down|falls?\s+silent|eases?(?:\s+off)?|eased(?:\s+off)?|"
    r"lets?\s+up|abates?|abated|quietens?(?:\s+down)?|winds?\s+down|wound\s+down)",
    # the place itself growing calm: "once the situation in Vell calms down"
    r"(?:situation|area|front|district|town|city|region|valley)\s+(?:[\w'’-]+\s+){0,2}?(?:calms?|calmed|quietens?|quietened)"
    r"(?:\s+down)?",
)

# A link that makes one thing wait on another.
LINK = family(
    r"(?:conditional|conditioned|contingent|dependent|depend\w*|predicated|hinge\w*|hang\w*|premised|based)\s+(?:on|upon)",
    r"subject\s+to",
    # a terse note whose link hangs before a colon: "relief contingent: LFA pull-back from the ridge"
    r"(?:conditional|conditioned|contingent|dependent|subject|tied|linked)(?=\s*:)",
    r"(?:tied|tie|ties|tying|linked|link|links|linking|pegged|indexed|keyed)\s+to",
    r"in\s+step\s+with",
    r"in\s+(?:proportion|line)\s+to",
    r"(?:proportionate|proportional|commensurate)\s+(?:to|with)",
    r"(?:in\s+exchange|in\s+return|as\s+a\s+reward|as\s+payment|in\s+recompense)\s+for",
    r"(?:only|solely|just)\s+(?:if|after|once|when|where|as\s+long\s+as|in\s+return|in\s+exchange|with)",
    r"when",
    r"(?:calibrated|scaled|matched|tailored|graduated|indexed|geared|keyed|adjusted|adapted|aligned)\s+(?:according\s+)?to",
    r"(?:to|at|with|match\w*)\s+the\s+(?:pace|rhythm|speed)\s+of",
    # a span of time counted from another event: "the month after", "two weeks after"
    r"(?:the|a|one|two|three|four|six|\d+)\s+(?:days?|weeks?|months?)\s+(?:after|following)",
    # the stages of another process: "at milestone three of the roadmap", "at each stage of the disarmament process"
    r"at\s+(?:each|every|the\s+[\w'’-]+)?\s*(?:milestones?|stages?|steps?|phases?)\s+(?:[\w'’-]+\s+)?of",
    r"(?:phased|sequenced|synchroni[sz]ed|paired|bundled|coupled|twinned|in\s+tandem|hand\s+in\s+hand|in\s+lockstep)\s+with",
    r"sequenced\s+after",
    r"(?:sequenced|queued|placed|ranked|coming|comes?|falls?|stands?)\s+behind",
    r"keep\w*\s+pace\s+with",
    r"mirror\w*|reflect\w*",
    r"depending\s+(?:on|upon)",
    r"according\s+to",
    r"in\s+response\s+to",
    r"on\s+the\s+back\s+of",
    r"(?:gated|triggered|unlocked)\s+(?:on|by)",
    r"(?:scheduled|timed|planned|organi[sz]ed|arranged|paced)\s+(?:around|according\s+to|to\s+match|with|to\s+coincide\s+with|to)",
    r"to\s+coincide\s+with",
    # a start set on a moment of something else: "resume on the first day of the truce", "from the signing of the pact"
    # or counted into it: "open on day three of the truce", "from week 2 of the ceasefire"
    r"(?:on|from|by)\s+(?:day|week)\s+(?:one|two|three|four|five|six|seven|\d+)\s+of",
    r"(?:on|from|with|at)\s+the\s+(?:first\s+(?:day|week|hour|morning)|start|onset|beginning|signing|signature|entry\s+into\s+force|"
    r"conclusion|announcement)\s+of",
    # the progress may be named as a party's: "in line with the Front's progress on ..."
    r"in\s+line\s+with\s+(?:the\s+)?(?:[\w'’-]+['’]s?\s+)?(?:progress|pace|steps|movement|advances)\s+(?:on|in|of|towards?)",
    r"to\s+the\s+(?:extent|degree)\s+that|insofar\s+as|in\s+so\s+far\s+as|in\s+proportion\s+as",
    r"(?:released|disbursed|paid|delivered)\s+(?:up)?on",
    r"upon",
    r"if",
    r"once",
    r"unless",
    r"until",
    r"till",
    r"pending",
    r"as\s+soon\s+as",
    r"(?:from\s+)?the\s+(?:day|moment|minute|hour|week)(?:\s+that)?",
    r"provided(?:\s+that)?",
    r"providing\s+that",
    r"on\s+(?:the\s+)?condition(?:\s+that|\s+of)?",
    r"on\s+the\s+(?:understanding|basis|assumption|premise)\s+that",
    # an inverted condition: "should the Units agree to disarm", "were the Authority to sign"
    r"(?:should|were|had)(?=\s+(?:the\s+)?(?-i:[A-Z])|\s+(?:they|it)\b)",
    r"(?:so|as)\s+long\s+as",
    r"in\s+the\s+event\s+that",
    r"(?:as|when)\s+(?:and\s+when|soon\s+as)",
    r"(?:traded|swapped|bartered|exchanged)\s+(?:for|against)",
    r"(?:wait|waits|waiting|await|awaits|awaiting)\s+(?:for|on|until)?",
    r"(?:resum\w*|restart\w*|start\w*|begin\w*|flow\w*|continu\w*|released?|delivered|unlocked|provided|mov\w*|"
    r"go\s+ahead|proceed\w*|come|comes|only|not\s+until|not\s+before|wait\w*|available)\s+(?:again\s+)?(?:after|following)",
    r"only\s+(?:for|to|in)\s+(?:[\w'’-]+\s+){0,3}?(?:that|who|which|whose)",
    r"requires?",
    r"in\s+a\s+package\s+with",
    r"(?:will|would|can|shall|must|only|to)\s+follow",
    r"follows|(?:comes?|came)\s+(?:only\s+)?after",
)

# The words that open a sentence with its condition: "Only once the council is recognised, ...",
# "Subject to the Authority's backing for our resolution, ...".
CONDITION_HEAD = (
    r"(?:and\s+)?(?:only\s+)?(?:if|once|when|after|as\s+soon\s+as|provided(?:\s+that)?|providing\s+that|"
    r"on\s+(?:the\s+)?condition(?:\s+that|\s+of)?|subject\s+to|pending|until|unless|(?:as|so)\s+long\s+as|should|"
    r"in\s+the\s+event\s+that|in\s+(?:return|exchange)\s+for|as\s+a\s+reward\s+for)\b"
)

# One thing first, the other after: "ceasefire first, then convoys", "first recognition, then the distributions".
FIRST_THEN = r"first\W+(?:and\s+)?(?:only\s+)?(?:then|after\s+that|afterwards)"
THEN = r"(?:and\s+)?(?:only\s+)?then"

# Links that say "in exchange": one side gives, the other pays.
EXCHANGE = family(
    r"(?:in\s+exchange|in\s+return|as\s+a\s+reward|as\s+payment|as\s+the\s+price|in\s+recompense)\s+(?:for|of)",
    r"(?:traded|swapped|bartered|exchanged)\s+(?:for|against)",
)
# Verbs of trading, before what is traded: "trade convoy access for ...".
TRADE_VERB = (
    r"(?:trade|trades|traded|trading|swap|swaps|swapped|swapping|barter\w*|exchange|exchanges|exchanged|exchanging|"
    r"bargain\w*|haggl\w*)"
)

# Calling aid an inducement: the bargaining-chip family.
INDUCEMENT = (
    r"(?:bargaining\s+(?:chip|item|tool|card|counter)|chip|currency|lever|leverage|sweetener|bait|inducement|"
    r"incentive|carrot|reward|quid\s+pro\s+quo|card|trade-?off|payment|price|pressure|tool\s+of\s+pressure|"
    r"cards|levers|chips|carrots|incentives|sweeteners|rewards|"
    # a political gesture made with aid: "a sign of goodwill in the status talks"
    r"(?:sign|gesture|token|show|signal)\s+of\s+(?:good\s*will|good\s+faith)|goodwill\s+gesture)"
)
# Only these are damning on their own; "incentive" or "reward" need a political aim beside them.
CHIP = r"(?:bargaining\s+(?:chip|item|tool|card|counter)|chip|currency|bait|quid\s+pro\s+quo)"

# Texts of a humanitarian kind, which a party may sign or accept as part of letting aid through.
_NOT_HUMANITARIAN_TEXT = (
    r"(?!(?:[\w'’-]+\s+){0,3}?(?:access|humanitarian|aid|relief|convoys?|deliver\w*|distribution\w*|evacuation|"
    r"vaccination|NGOs?|hosting|host|operational|deconfliction|notification|medical|health|(?<!investment\s)protection|security\s+of\s+staff)\b)"
)
# A halt in the fighting's own text ("a cessation-of-hostilities deal", "the ceasefire talks"): N1's
# framing alone when aid waits on it, never another agenda's concession.
_NOT_HALT_TEXT = (
    r"(?!(?:[\w'’-]+\s+){0,3}?(?:cease[\s-]*fires?|truces?|armistices?|cessations?|hostilities|hudnas?)\b)"
)
# A community's own bodies: their elections and votes are no political concession.
_NOT_COMMUNITY = (
    r"(?<!camp\s)(?<!committee\s)(?<!community\s)(?<!village\s)(?<!school\s)(?<!student\s)(?<!board\s)"
    r"(?<!union\s)(?<!cooperative\s)(?<!women's\s)(?<!youth\s)(?<!staff\s)"
)
# Concessions on the political, military or economic plane: what aid is traded for.
POLITICAL = family(
    r"(?:political|diplomatic|territorial|economic|military)\s+(?:concessions?|gains?|demands?|support|backing|"
    r"settlement|process|solution|recognition|relations|ties|cover|legitimacy|objectives?|agenda|aims?)",
    r"concessions?",
    # not a professional recognition: "the ministry recognises the nurses' diplomas"
    r"recogni(?:tion|[sz]\w*)(?!\s+(?:of\s+)?(?:the\s+|their\s+|its\s+|our\s+)?(?:[\w'’-]+\s+)?(?:diplomas?|qualifications?|"
    r"certificates?|degrees?|credentials|skills|training|studies|exams?)\b)",
    r"legitim\w*",
    r"normali[sz]\w*",
    # not the elections of a camp's or a village's own committee
    rf"{_NOT_COMMUNITY}(?:elections?|electoral|votes?|voted\s+for|voting|ballot)|referend(?:um|a|ums)",
    r"constitution\w*",
    r"status\s+(?:talks|negotiations|question|agreement)",
    r"(?:join|joins|joined|joining|attend\w*|come|comes|came|return\w*|sit\w*|brought|bring\w*)\s+(?:back\s+)?"
    r"(?:to\s+|at\s+)?(?:the\s+)?(?:[\w'’-]+\s+){0,2}?(?:talks|table|negotiations|process|dialogue|conference)",
    r"(?:peace|political|status|constitutional|normali[sz]ation|unity|power-sharing)\s+(?:talks|process|deal|agreement|negotiations|dialogue|formula|settlement)",
    # a party drawn into another agenda's talks: "to bring the Brigade into the national dialogue"
    rf"(?:bring\w*|brought|draw\w*|drew|lur\w*|coax\w*)\s+(?:the\s+|its\s+|their\s+)?(?:[\w'’-]+\s+){{1,3}}?(?:in)?to\s+(?:the\s+)?"
    rf"{_NOT_HUMANITARIAN_TEXT}{_NOT_HALT_TEXT}(?:[\w'’-]+\s+){{0,2}}?(?:talks|negotiations|negotiating\s+table|dialogue|conference|"
    r"peace\s+process|political\s+process)",
    r"amnest(?:y|ies)",
    r"(?:endors|back|support)\w*\s+(?:the\s+|our\s+|a\s+|its\s+)?(?:[\w'’-]+\s+){0,3}?(?:bid|candidate|candidacy|resolution|position|claim|plan|roadmap|road\s+map|government|proposal|list|ticket|slate)",
    r"(?:support|backing|vote|votes)\s+(?:at|in)\s+(?:the\s+)?(?:[\w'’-]+\s+){0,2}?(?:conference|talks|assembly|council|summit|commission|negotiations|UN)",
    # signing or accepting another agenda's text ("signs the trade memorandum", "accepts the power-sharing
    # formula"), not a humanitarian one ("signs the access agreement")
    rf"(?:sign|accept|endors|agree\w*\s+to|commit\w*\s+to|adopt|ratif)\w*(?!\s+off\b)\s+(?:(?:up|on)\s+to\s+)?(?:of\s+)?(?:the\s+|a\s+|an\s+|its\s+|our\s+|their\s+)?{_NOT_HUMANITARIAN_TEXT}{_NOT_HALT_TEXT}"
    r"(?:[\w'’-]+\s+){0,3}?(?:agreement|memorandum|accord|deal|pact|roadmap|road\s+map|map|declaration|treaty|"
    r"framework|protocol|formula|settlement|plan|charter|statute)",
    # the same in the passive, the party left unnamed: "until the debt schedule is signed"
    rf"(?<![\w-])(?:the|a|an|its|their)\s+{_NOT_HUMANITARIAN_TEXT}{_NOT_HALT_TEXT}(?:[\w'’-]+\s+){{0,3}}?(?:agreement|memorandum|accord|deal|pact|"
    r"roadmap|road\s+map|declaration|treaty|framework|protocol|formula|settlement|schedule)\s+(?:is|are|be|been|gets?|has\s+been|have\s+been)\s+"
    r"(?:signed|ratified|initial(?:l)?ed|concluded|adopted|endorsed|accepted|agreed)",
    r"regist(?:er|ers|ered|ering|ration)\s+(?:of\s+)?(?:the\s+|its\s+|their\s+)?(?:[\w'’-]+\s+){0,2}?(?:charity|party|movement|organi[sz]ation)",
    r"(?:lift\w*|eas\w*|waiv\w*|relax\w*)\s+(?:of\s+)?(?:the\s+)?(?:[\w'’-]+\s+)?sanctions",
    r"sanctions\s+relief",
    r"relief\s+(?:from|on)\s+(?:the\s+|its\s+|their\s+)?(?:[\w'’-]+\s+)?sanctions",
    r"sanctions\s+(?:[\w'’-]+\s+){0,4}?(?:lifted|eased|waived|relaxed|suspended)",
    r"(?:lift\w*|eas\w*|waiv\w*|relax\w*|suspend\w*|unfreez\w*)\s+(?:of\s+)?(?:the\s+|its\s+|their\s+)?(?:[\w'’-]+\s+){0,2}?"
    r"(?:(?:travel|visa|entry|export|import|arms)\s+bans?|embargo(?:es)?|asset\s+freezes?|designations?|listings?)",
    r"(?:release|releases|released|releasing|free|freeing|freed)\s+(?:of\s+)?(?:the\s+|its\s+|their\s+|all\s+)?(?:political\s+)?"
    r"(?:prisoners?|hostages?|detainees?)(?!\s+(?:from\s+)?(?:among\s+)?(?:aid|relief|humanitarian))",
    r"prisoners?(?:\s+(?:exchange|swap|release))?",
    r"(?:release|releases|released|releasing|free|freeing|freed)\s+(?:of\s+)?(?:the\s+|its\s+|their\s+|all\s+)?"
    r"(?:captured\s+|detained\s+|jailed\s+)?(?:fighters|militants|combatants|commanders|members)(?!\s+of\s+(?:aid|relief|humanitarian))",
    r"hostages?",
    # people of a side held and set free: "release the mayors", "the release of detained council members"
    # (not aid workers, whose release is a protection aim of its own)
    r"(?:release|releases|released|releasing|free|freeing|freed)\s+(?:of\s+)?(?:the\s+|its\s+|their\s+|all\s+|our\s+)?"
    r"(?:[\w'’-]+\s+){0,2}?(?:mayors?|officials|council\s+members|councill?ors|diplomats|envoys|ministers|deputies|"
    r"governors?|judges|clerics|chiefs|officers|soldiers|pilots|nationals|citizens|journalists|activists|students)\b",
    r"(?<!visit\s)(?<!visits\s)(?<!to\s)detainees?(?!\s+(?:visits?|conditions?|welfare|treatment))",
    r"(?:hand\w*|turn\w*)\s+over\s+(?:the\s+)?(?:[\w'’-]+\s+)?(?:suspects?|fugitives?|leaders?|commanders?)",
    r"extradit\w*",
    r"(?:UN|Security\s+Council|General\s+Assembly|council)\s+(?:vote|votes|resolution|seat)",
    r"membership\s+(?:of|in)",
    r"(?:a|the|its|their|his|her|our)\s+seat\s+(?:at|on|in)",
    r"(?:release|releases|released|releasing|free|freeing|freed)\s+(?:of\s+)?(?:the\s+|its\s+|their\s+|all\s+)?"
    r"(?:opposition|political|jailed|imprisoned)\s+(?:leaders?|figures?|activists?|politicians?|journalists?)",
    r"(?:hand\w*|transfer\w*|return\w*|ced\w*|shar\w*)\s+(?:[\w'’-]+\s+)?power",
    r"civilian\s+rule",
    r"(?:political|democratic|civilian|power)\\s+transition|transition\\s+(?:of\\s+power|to\\s+(?:civilian|democratic|elected)\\s+(?:rule|government))",
    r"step\w*\s+down",
    r"resign\w*",
    r"regime\s+change",
    r"(?:political|governance|electoral|constitutional|institutional)\s+reforms?",
    r"(?:government|cabinet)\s+(?:of\s+national\s+unity|posts|seats)",
    r"(?:join\w*|enter\w*)\s+(?:the\s+|a\s+)?(?:[\w'’-]+\s+)?(?:government|coalition|cabinet)",
    # politics named as such: "once political progress is made", "when the political situation allows"
    r"political\s+(?:progress|situation|climate|developments|steps|breakthrough|conditions|will)",
    # relations between states: "when our embassy reopens", "the return of its ambassador"
    r"(?:embass(?:y|ies)|consulates?)\s+(?:re)?opens?|(?:re)?open\w*\s+(?:of\s+)?(?:our|the|its|their)\s+(?:embassy|consulate)|"
    r"ambassador-level|(?:return|recall|accreditation)\s+of\s+(?:our|the|its|their)\s+ambassador",
    r"allegiance",
    r"loyalty",
    # a political gesture to an authority: "an upgrade of its liaison office", "accreditation of its envoy"
    r"(?:open\w*|upgrad\w*|accredit\w*|rais\w*)\s+(?:of\s+)?(?:the\s+|a\s+|an\s+|its\s+|their\s+)?(?:[\w'’-]+\s+)?"
    r"(?:liaison|representation|representative|diplomatic)\s+(?:office|mission|status)",
    r"(?:liaison|representation|representative|diplomatic)\s+(?:office|mission)\s+(?:(?:is|are|be|gets?|being)\s+)?"
    r"(?:upgrade|upgraded|accreditation|accredited|status)",
    r"accreditation\s+of\s+(?:the\s+|its\s+|their\s+)?(?:[\w'’-]+\s+)?(?:envoy|representative|ambassador|liaison)",
    # recognition in kind: a party's people or bodies dealt with under the state title it claims, which
    # the quotation marks mark as claimed ("its officials sign as 'Ministry' officials")
    r"as\s+(?:the\s+|its\s+|their\s+|an?\s+)?['‘\"“](?:[\w'’-]+\s+){0,3}?(?-i:Ministry|Ministries|Minister|Government|State|"
    r"Authority|Administration|Governor|Parliament|Emirate|Republic|President|Directorate|Police|Court)",
    # our silence bought: "in exchange for our silence on the detentions"
    r"silence\s+(?:on|about|over|regarding)",
    r"(?:switch|chang)\w*\s+sides",
    r"side\w*\s+with",
    r"defect\w*",
    r"(?:position|stance|line)\s+(?:on|in)\s+(?:the\s+)?(?:[\w'’-]+\s+){0,2}?(?:dispute|border|talks|question|issue|resolution|vote|status)",
    r"(?:border|territorial|maritime)\s+disputes?",
    rf"(?:outcome|result|conclusion|success|progress)\s+(?:of|in|on)\s+(?:the\s+)?{_NOT_HALT_TEXT}(?:[\w'’-]+\s+){{0,3}}?"
    r"(?:talks|negotiations|process|track|dialogue|deal)",
    r"(?:political|security|economic|trade|peace|status|normali[sz]ation|constitutional|military|market|mining|debt)\s+track",
    # our own rounds of talks: "timed to our negotiating rounds with the Council"
    r"(?:negotiating|negotiation)\s+(?:rounds?|sessions?|calendar)|rounds?\s+of\s+(?:talks|negotiations)",
    r"(?:peace|framework|political|status|trade)\s+(?:plan|framework|accord|roadmap)",
    # another agenda's text or question named by its subject: "the border protocol", "the status question"
    r"(?:border|boundary|status|territorial|sovereignty|autonomy|constitutional|power-sharing|normali[sz]ation|"
    r"investment|fisheries|transit)\s+(?:protocol|treaty|pact|accord|charter|statute|memorandum|question|issue|file|dispute)s?",
)
MILITARY = family(
    r"withdraw\w*\s+(?:of\s+)?(?:its\s+|their\s+|the\s+|all\s+)?(?:[\w'’-]+\s+)?(?:from|forces|troops|fighters|units|militias?|positions?)",
    r"pull\w*[\s-]+(?:back|out)",
    r"pull-?backs?",
    r"redeploy\w*",
    r"disarm\w*",
    r"demobili[sz]\w*",
    r"(?:weapons?|arms)(?!\s+(?:carriers?|of\s+the\s+law))",
    r"surrender\w*",
    r"territor(?:y|ies|ial)",
    r"troops?",
    r"(?:military|naval|air)\s+(?:bases?|presence|cooperation|access|positions?|facilities|support)",
    r"basing\s+rights",
    r"buffer\s+zones?",
    r"demarcat\w*",
    r"(?:ridges?|hills?|heights)\s+(?:[\w'’-]+\s+)?(?:handed|ceded)",
    r"counter-?terrorism",
    r"intelligence\s+(?:sharing|cooperation)",
    r"security\s+(?:cooperation|arrangements|guarantees\s+for\s+(?:the\s+)?(?:regime|government|border))",
    r"(?:border|migration)\s+(?:control|cooperation|management)",
    r"(?:keep\w*|kept|stop\w*|prevent\w*|hold\w*|held|block\w*)\s+(?:[\w'’-]+\s+){0,2}?(?:migrants|refugees|people|boats)\s+from",
    r"(?:accept\w*|take\w*|took)\s+(?:back\s+)?(?:[\w'’-]+\s+){0,2}?(?:deportees|returnees|migrants|asylum\s+seekers)",
    r"readmission",
    r"(?:hand|hands|handing|handed|cede|cedes|ceded|ceding|give|gives|giving|gave|turn|turns|turned|turning)\s+"
    r"(?:over|back)\s+(?:[\w'’-]+\s+){0,3}?(?:positions?|checkpoints?|towns?|villages?|posts?|bases?|barracks|airport|port)",
    r"intelligence(?:\s+(?:sharing|cooperation|on|about))?",
    r"(?:security|defence|defense|military)\s+(?:agreement|pact|deal|partnership|arrangements?)",
    r"(?:cooperat\w*|collaborat\w*)\s+(?:on|with|in)\s+(?:the\s+)?(?:[\w'’-]+\s+){0,2}?"
    r"(?:migration|border|counter-?terrorism|security|army|military|police|troops|forces|returns)",
    r"(?:join\w*|support\w*|back\w*)\s+(?:the\s+)?(?:[\w'’-]+\s+)?(?:offensive|campaign|operations?)\s+against",
)
ECONOMIC = family(
    # not a licence the aid itself needs: "import licences for medicines", "operating licences for NGOs"
    r"licen[cs](?:e|es|ing)(?!\s+(?:for|of)\s+(?:the\s+|our\s+|its\s+)?(?:[\w'’-]+\s+)?(?:medicines?|drugs|aid|relief|"
    r"humanitarian\w*|supplies|vaccines|food|fuel|NGOs|agencies|staff|trucks|convoys|partners|clinics?|hospitals?)\b)",
    r"(?:licen[cs]e|tender|contract|mining|oil|gas|construction|procurement)\s+bids?",
    r"bids?\s+for",
    r"tenders?",
    r"(?:mining|oil|gas|logging|fishing|port|mineral|copper|gold|drilling|exploration)\s+(?:rights|concessions?|licen[cs]es?|blocks?|contracts?|deals?|leases?)",
    r"consortium\w*",
    r"(?:trade|investment|commercial|business|arms|reconstruction)\s+(?:deals?|agreements?|contracts?|concessions?|preferences|interests)",
    r"(?:awarding|award|awards|awarded)\s+(?:of\s+)?(?:the\s+)?(?:[\w'’-]+\s+)?contracts?",
    r"tariffs?",
    r"market\s+access",
    r"debt\s+(?:repayment|restructuring|relief)",
    r"(?:customs|monetary|trade|economic)\s+union",
    r"privati[sz]\w*",
    r"economic\s+(?:reforms?|cooperation|deal|concessions?)",
    r"(?:our|the|a)\s+(?:[\w'’-]+\s+)?compan(?:y|ies)(?:'s)?",
    r"(?:our|national|its|their)\s+(?:[\w'’-]+\s+)?(?:firms?|investors?|exporters?|contractors?)",
)
# Concessions that "for" alone can trade: "food for votes", "aid for recognition".
HARD_CONCESSION = (
    # a party's part may be named as its own: "for the Council's support at the UN"
    r"(?:(?:the\s+)?[\w-]+['’]s?\s+)?"
    r"(?:votes?|recognition|loyalty|allegiance|political\s+support|concessions?|territory|weapons?|arms|"
    r"disarmament|withdrawal|surrender|silence|support\s+(?:at|in)\s+the\s+(?:UN|assembly|council|talks|vote)|"
    r"backing\s+(?:at|in|for)\s+the|basing\s+rights|(?<!import\s)(?<!operating\s)(?<!work\s)(?<!registration\s)licen[cs]es|contracts|"
    r"cooperation\s+on\s+(?:migration|border|counter-?terrorism|security|returns))"
)
# What aid is used to buy when it serves an agenda: standing, not a humanitarian outcome.
STANDING = (
    r"(?:legitimacy|(?:negotiating|bargaining)\s+(?:position|hand|power)|(?:hand|position)\s+(?:in|at)\s+(?:the\s+)?(?:talks|negotiations|table)|political\s+support|support\s+for\s+(?:the\s+)?(?:government|regime|army|campaign|offensive)|"
    r"loyalty|influence|popularity|standing|votes?|hearts\s+and\s+minds|credibility|allegiance|goodwill|good\s+will|"
    r"(?:military|political|territorial)\s+(?:control|gains?|objectives?|advantage)|(?:its|their|the\s+\w+'s)\s+(?:hold|grip|control)\s+(?:on|over|of))"
)
# Agendas aid may be made to serve.
CAMPAIGN = (
    r"(?:(?:the\s+)?(?:army|military|government|regime|ruling\s+party|coalition)'s\s+)?(?:[\w'’-]+\s+)?"
    r"(?:campaign|offensive|counter-?insurgency|stabili[sz]ation\s+(?:campaign|strategy|operations?|plan)|"
    r"pacification|military\s+(?:strategy|objectives|operations?)|political\s+(?:strategy|objectives|agenda|campaign)|"
    r"hearts\s+and\s+minds)"
)
CONCESSION = family(POLITICAL, MILITARY, ECONOMIC)

# What a party may be asked to do for the aid itself: let it through, stop taking it,
# clear its papers. A condition of this kind is logistics, not a price.
ENABLING = family(
    AID,
    ACCESS,
    r"permits?|permission|visas?|clearance|clear\w*|customs(?!\s+(?:posts?|offices?|houses?|revenues?))|checkpoints?|roads?|routes?|bridges?|crossings?|border\s+post",
    r"warehouses?|stocks?|trucks?|drivers?|staff|teams?|workers|agencies|NGOs|partners|humanitarian\w*|beneficiar\w*",
    r"civilians?|patients?|wounded|sick|children|families|displaced|refugees|returnees|detainees'?\s+(?:welfare|conditions)",
    # not a ban on politics: "lifts the ban on opposition parties" is a political concession
    r"let\w*|allow\w*|lift\w*\s+(?:the\s+)?(?:blockade|restrictions|siege|ban)(?!\s+on\s+(?:the\s+)?(?:[\w'’-]+\s+)?"
    r"(?:part(?:y|ies)|opposition|media|press|newspapers|journalists|protests?|rallies|unions?|candidates?|movements?))"
    r"|blockade|siege|restrictions",
    r"divert\w*|diversion|seiz\w*|loot\w*|tax\w*|levy|levies|interfer\w*|obstruct\w*|block\w*",
    r"demin\w*|mines?|repair\w*|rebuilt|reopen\w*\s+(?:the\s+)?(?:road|bridge|route|airport|port|crossing|market|banks?)",
    r"needs?|needed|necessary|required|requested|possible|feasible|safe|safety|security\s+(?:allows|permits|situation)",
    # the staff's own qualifications: "once the health ministry recognises their diplomas"
    r"diplomas?|qualifications?|credentials",
    # the safety of the work itself: "the LFA's written security guarantees", "assurances of safe passage"
    r"(?:security|safety)\s+(?:guarantees?|assurances?|clearances?)|(?:guarantees?|assurances?)\s+(?:of|for|on)\s+(?:safe|safety|security)",
    r"audit\w*|report\w*|accounts?|assessments?|monitor\w*|registration\s+of\s+(?:NGOs|agencies|partners|staff)",
    # the work's own arrangements: where, when, who ("approves the site", "agree the schedule", "registers them")
    r"(?:liaison|focal|contact)\s+(?:officers?|persons?|points?|people)|coordinat\w*|deconflict\w*",
    r"(?:health|medical|clinical|treatment|nutrition|vaccination|technical)\s+(?:protocols?|guidelines|standards|norms)",
    r"(?:the|its|their)\s+(?:health|medical|clinical|treatment|nutrition|vaccination|technical)\s+"
    r"(?:ministry|department|directorate|authorit\w+)\s+(?:[\w'’-]+\s+){0,3}?(?:protocols?|guidelines|standards)",
    r"sites?|(?<!repayment\s)(?<!debt\s)(?<!payment\s)schedules?|timetables?|itinerar\w+|work\s*plans?|distribution\s+plans?",
    r"regist\w*\s+(?:them|us|our\s+\w+|the\s+(?:agencies|NGOs|partners|teams|staff|volunteers))",
    r"agents?|procedures?|mechanisms?|arrangements?|systems?|payments?|money-transfer|banks?|lists?|notification\w*",
    r"inspect\w*|manifests?|papers|paperwork|documents?|documentation|stamp\w*|certificat\w*|waybills?|cargo",
    # an exemption or a licence the aid needs, and the work's own details approved
    r"exemptions?|waivers?|derogations?",
    r"(?:approv|validat|authori[sz]|certif)\w*\s+(?:the\s+|our\s+|its\s+|their\s+)?(?:[\w'’-]+\s+){0,2}?(?:menus?|lists?|sites?|"
    r"designs?|curricul\w+|specifications?|routes?|manifests?|requests?|applications?|budgets?|timetables?)",
)
# Talks and deals of another agenda, named without a humanitarian object.
TALKS = r"(?:talks|negotiations|dialogue|summit|conference|deal|accord|treaty|pact|framework|process|track|package)"

# When, not what: a time limit is no price ("until the end of February").
TIME = family(
    r"January|February|March|April|May|June|July|August|September|October|November|December",
    r"Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday",
    r"spring|summer|autumn|winter|snow\w*|rains?|rainy|dry\s+season|harvest|season|year|month|week|day|night",
    r"(?:the\s+)?end\s+of|further\s+notice|then|now|today|tomorrow|\d{4}|\d{1,2}(?:st|nd|rd|th)?",
)

# Humanitarian work of any kind: what must go on whatever the fighting does.
WORK = family(
    AID,
    ACCESS,
    r"(?:aid|relief|humanitarian|health|medical|water|repair|vaccination|protection|mine|demining|cholera|outbreak|"
    r"nutrition|WASH|polio)\s+"
    r"(?:workers?|staff|teams?|crews?|operations|work|activities|missions?|programmes?)",
    r"engineers|technicians|repair\s+crews?|repairs|(?:repair|rehabilitation)\s+of|vaccinators?|immuni[sz]ations?",
    r"(?:vaccination|polio|measles|cholera|immuni[sz]ation)\s+(?:rounds?|campaigns?|drives?)",
    r"protection\s+(?:monitoring|services|work|activities|teams?|missions?)",
    r"mobile\s+clinics?|clinics?|nurses|doctors|ambulances?|field\s+hospitals?|surgical\s+teams?",
    r"humanitarian\s+(?:action|operations?|activities|work|response|assistance|presence|partners|flights)",
    # humanitarian work named by its means or its bearers: "relief flights", "cross-line missions", "UN agencies"
    r"(?:aid|relief|humanitarian|UN|NGO|medical|supply)\s+(?:flights|airlifts?|agencies|organi[sz]ations|presence|runs?)",
    r"airlifts?|airdrops?|air\s+drops?|cross-?(?:border|line)\s+(?:operations|missions|deliveries|convoys|access)",
    r"(?:the\s+)?(?:agencies|NGOs)\s+(?:will\s+|can\s+|may\s+|to\s+)?(?:return|go\s+in|enter|deploy|resume|come\s+back)",
)
# A purpose that makes a halt in fighting the way to aid ("a lull so that distributions
# can take place", "truces to let relief in", "quiet hours for the repairs").
PURPOSE = family(
    r"so\s+that",
    r"so\s+as\s+to",
    r"in\s+order\s+(?:to|that)",
    r"to\s+(?:allow|let|enable|permit|facilitate|make\s+way\s+for|get|bring|deliver|move|carry\s+out|reach|open|start|resume)",
    r"allowing|letting|enabling|permitting",
    r"during\s+which|within\s+which|in\s+which",
    # a relative clause that says what the halt is for: "a cessation of hostilities, which will let the convoys through"
    r"(?:which|that)\s+(?:(?:will|would|should|can|could|is\s+to|must)\s+(?:then\s+)?(?:allow|let|enable|permit|open\s+the\s+way\s+for|make\s+way\s+for)|"
    r"(?:allows|lets|enables|permits|opens\s+the\s+way\s+for|makes\s+way\s+for))",
)
# The humanitarian kin of a ceasefire: the paper's own words and their variants.
HUMANITARIAN_HALT = (
    r"humanitarian[\s-]+(?:(?!(?:during|after|before|since|and|or|of|in|on|at|for|by|with|to|the|a|an)\b)[\w'’-]+\s+){0,2}?(?:cease[\s-]*fires?|truces?|pauses?|lulls?|armistices?|"
    r"cessations?(?:\s+of\s+hostilities)?|windows?|breaks?|respites?|intervals?|days?\s+of\s+(?:tranquill?ity|calm)|"
    r"stand-?downs?|stand-?stills?|hudnas?|moratori(?:um|a)|suspensions?\s+of\s+(?:hostilities|fighting|fire)|"
    r"(?:quiet|calm)\s+(?:periods?|hours?|days?)|de-?escalation)"
    r"|(?:cease[\s-]*fires?|truces?|pauses?|lulls?|armistices?|cessations?\s+of\s+(?:hostilities|fire|fighting))\s*,?\s+"
    r"(?:[\w'’-]+\s+){0,3}?(?:for|on|with)\s+(?:an?\s+)?humanitarian\s+(?:purposes?|reasons|grounds|needs|considerations|"
    r"character|aims?|ends)"
    # the same halt named after the aid it is for: "a vaccination truce", "an aid ceasefire"
    r"|(?:aid|relief|vaccination|polio|immuni[sz]ation|medical|medevac|evacuation|food|harvest|convoy|distribution|"
    r"access|health|cholera|measles|mercy|rescue|water|repair|corridor)\s+(?:cease[\s-]*fires?|truces?|armistices?|lulls?|"
    r"pauses?|hudnas?)"
)
# Ways of bringing aid inside a ceasefire deal: "aid as part of the truce", "the truce provides for convoys".
WITHIN = (
    r"(?:(?:as\s+)?(?:one|an?|the)\s+(?:element|component|plank|pillar|strand|chapter|item)\s+(?:of|for|on|in)|(?:as\s+)?(?:a\s+)?part\s+of|folded\s+into|merged\s+(?:into|with)|subsumed\s+(?:in|into|under)|handled\s+(?:in|within)|under\s+the\s+terms\s+of|under|within|in\s+the\s+framework\s+of|included\s+in|"
    r"written\s+into|through|via|by\s+way\s+of|by\s+means\s+of)"
)
# Negotiated on the same table as something else: "access discussed alongside the ceasefire terms".
ALONGSIDE = (
    r"(?:discuss|negotiat|agree|tabl|rais|handl|settl|bundl|packag|consider|decid|address|treat|pursu|offer|sign|"
    r"pledg)\w*\s+(?:\w+\s+)?"
    r"(?:alongside|together\s+with|in\s+tandem\s+with|in\s+the\s+same\s+(?:talks|package|negotiations|deal|round)\s+as)"
)
PROVIDES = (
    r"(?:includ\w*|provid\w*\s+for|guarantee\w*|cover\w*|contain\w*|allow\w*|open\w*|secur\w*|bring\w*|"
    r"deliver\w*|unlock\w*|make\w*\s+room\s+for|pav\w*\s+the\s+way\s+for|lead\w*\s+to)"
)
# Seeking something as a goal, in a track's prose.
SEEK = (
    r"(?:secur|negotiat|broker|seek|sought|obtain|agree|press\w*\s+for|push\w*\s+for|achiev|win|reach|arrang|"
    r"mediat|propos|call\w*\s+for|advocat|lobby|work\w*\s+(?:for|towards?))\w*"
)

# What a humanitarian track's red line may name that makes it wait on another agenda:
# a ceasefire or truce (N1), or political talks, elections, recognition, a trade deal (D2).
TRUCE = r"(?:cease[\s-]*fires?|truces?|armistices?|cessations?\s+of\s+hostilities|peace\s+(?:deal|agreement|accord))"
AGENDA_EVENT = (
    r"(?:(?:political|peace|status|normali[sz]ation|constitutional|trade|security|border|unity|power-sharing)\s+"
    r"(?:talks|process|track|negotiations|dialogue|deal|agreement|settlement|roadmap)|elections?|recogni(?:tion|[sz]\w*)|"
    r"normali[sz]\w*|sanctions|trade\s+(?:deal|agreement)|diplomatic\s+relations|referend(?:um|a|ums)"
    r"|(?:peace|political|status|normali[sz]ation|constitutional|unity|power-sharing)\s+plan"
    r"|(?:political|peace|status|normali[sz]ation|constitutional|trade|border|boundary|unity|power-sharing|autonomy|"
    r"investment)\s+(?:protocol|treaty|pact|accord|charter|statute|memorandum)"
    # talks named by their subject, not a humanitarian one: "the negotiations on the border"
    rf"|(?:talks|negotiations|dialogue|process)\s+(?:on|over|about)\s+(?:the\s+|its\s+|their\s+)?{_NOT_HUMANITARIAN_TEXT}"
    r"(?:[\w'’-]+\s+){0,2}?(?:border|boundary|status|recognition|elections?|constitution|territor\w*|sovereignty|"
    r"power|transition|settlement|ridge|disarmament|withdrawal|licen[cs]es?|tariffs?|debt|port|lease|concessions?))"
)

# Another agenda's goals, when a humanitarian track names them among its own aims: the
# humanitarian objective entangled with a political, military or economic one. Narrower
# than CONCESSION: what a protection track may rightly seek (detainees released, fighters
# out of schools, a withdrawal from a hospital) is left out.
AGENDA_AIM = family(
    r"recognition(?!\s+(?:of|for)\s+(?:the\s+)?(?:humanitarian|IHL|rights?|needs?|principles?|NGOs?|staff|civilians?))",
    # the verb only with a political object: not "the health ministry recognises the nurses trained in the camp"
    r"recogni[sz]\w*\s+(?:the\s+|its\s+|their\s+|our\s+)?(?:[\w'’-]+\s+){0,2}?(?:council|government|authorit\w*|administration|"
    r"state|independence|annexation|sovereignty|status|ministr\w*|border|elections?|results?|regime|junta|claims?)",
    # legitimacy sought, not "legitimate needs"
    r"legitim(?:acy|i[sz]\w*|ation)",
    r"normali[sz]\w*",
    r"elections?|electoral|votes?|voted\s+for|voting|ballot",
    r"constitution\w*",
    r"(?:peace|political|status|constitutional|normali[sz]ation|unity|power-sharing|border|trade|security)\s+"
    r"(?:talks|process|deal|agreement|negotiations|dialogue|formula|settlement)",
    r"(?:join|joins|joined|joining|attend\w*|come|comes|came|return\w*|sit\w*|brought|bring\w*)\s+(?:back\s+)?"
    r"(?:to\s+|at\s+)?(?:the\s+)?(?:[\w'’-]+\s+){0,2}?(?:talks|negotiating\s+table|negotiations|political\s+process|"
    r"peace\s+process|dialogue|conference)",
    r"amnest(?:y|ies)",
    # a party drawn into another agenda's talks: "to bring the Brigade into the national dialogue"
    rf"(?:bring\w*|brought|draw\w*|drew|lur\w*|coax\w*)\s+(?:the\s+|its\s+|their\s+)?(?:[\w'’-]+\s+){{1,3}}?(?:in)?to\s+(?:the\s+)?"
    rf"{_NOT_HUMANITARIAN_TEXT}{_NOT_HALT_TEXT}(?:[\w'’-]+\s+){{0,2}}?(?:talks|negotiations|negotiating\s+table|dialogue|conference|"
    r"peace\s+process|political\s+process)",
    # a party's place at another agenda's table: "Hadra back at the negotiating table", "its delegation in the Aldwick talks"
    r"(?:back\s+)?(?:at|to)\s+the\s+negotiating\s+table",
    rf"(?:delegation|presence|participation|attendance|seat|seated|sitting|represented)\s+(?:in|at|to)\s+(?:the\s+)?{_NOT_HUMANITARIAN_TEXT}"
    r"(?:[\w'’-]+\s+){0,2}?(?:talks|negotiations|conference|dialogue|summit)",
    r"amnest(?:y|ies)",
    r"(?:endors|back|support)\w*\s+(?:the\s+|our\s+|a\s+|its\s+)?(?:[\w'’-]+\s+){0,3}?(?:bid|candidate|candidacy|resolution|"
    r"government|roadmap|peace\s+plan)",
    r"(?:lift\w*|eas\w*|waiv\w*|relax\w*)\s+(?:of\s+)?(?:the\s+)?(?:[\w'’-]+\s+)?sanctions|sanctions\s+relief",
    r"(?:UN|Security\s+Council|General\s+Assembly)\s+(?:vote|votes|resolution|seat)",
    r"(?:a|the|its|their)\s+seat\s+(?:at|on|in)",
    r"(?:hand\w*|transfer\w*|ced\w*|shar\w*)\s+(?:[\w'’-]+\s+)?power|regime\s+change|(?:political|democratic|civilian|power)\\s+transition|transition\\s+(?:of\\s+power|to\\s+(?:civilian|democratic|elected)\\s+(?:rule|government))",
    r"(?:political|governance|electoral|constitutional|institutional)\s+reforms?",
    r"allegiance|loyalty|(?:switch|chang)\w*\s+sides|defect\w*",
    r"(?:border|territorial|maritime)\s+disputes?",
    r"(?:political|diplomatic|territorial|military|strategic)\s+(?:concessions?|gains?|support|backing|objectives?|agenda|"
    r"advantage|influence|leverage)",
    r"hearts\s+and\s+minds|counter-?insurgency|stabili[sz]ation\s+(?:campaign|strategy|operations?|efforts?|agenda|objectives?)|"
    r"counter-?terrorism",
    # the state's hold carried further: "consolidate government authority", "extend state presence"
    r"(?:extend\w*|consolidat\w*|establish\w*|strengthen\w*|reinforc\w*|expand\w*)\s+(?:the\s+)?(?:state|government|regime|army|"
    r"military|administration)(?:['’]s)?\s+(?:authority|presence|control|legitimacy|reach|writ)",
    # a side's standing built, or the other side's weakened: "strengthen the Council's standing with the population",
    # "reduce support for the LFA among villagers", "draw communities away from the insurgency"
    r"(?:strengthen|boost|bolster|build|shore\s+up|enhanc|improv|rais)\w*\s+(?:the\s+|our\s+)?(?:[\w'’-]+['’]s?\s+)?"
    r"(?:standing|popularity|image|reputation|credibility)\s+(?:with|among|in)",
    r"(?:reduc|counter|undermin|weaken|erod|curb)\w*\s+(?:the\s+)?(?:support\s+for|(?:[\w'’-]+['’]s?\s+)?(?:influence|appeal|popularity)\s+"
    r"(?:in|among|over|with))",
    r"(?:draw|pull|win|lure|wean)\w*\s+(?:the\s+)?(?:[\w'’-]+\s+)?(?:communities|people|villagers|population|youth|families|men)\s+"
    r"away\s+from",
    # another agenda's text signed or committed to by a party: "LFA commitment to the peace roadmap"
    rf"(?:commitment|adherence|signature|accession)\s+(?:to|on|of)\s+(?:the\s+)?{_NOT_HUMANITARIAN_TEXT}{_NOT_HALT_TEXT}"
    r"(?:[\w'’-]+\s+){0,3}?(?:roadmap|protocol|treaty|agreement|accord|plan|charter|constitution|pact|settlement)",
    r"(?:military|naval|air)\s+(?:bases?|presence|cooperation)|basing\s+rights|intelligence\s+(?:sharing|cooperation)",
    r"(?:migration|border)\s+(?:control|cooperation|management)|readmission|(?:return|deportation)\s+agreements?",
    r"(?:trade|investment|commercial|business|arms|reconstruction)\s+(?:deals?|agreements?|contracts?|concessions?|interests)",
    r"(?:mining|oil|gas|logging|fishing|port|mineral|copper|gold|drilling|exploration)\s+(?:rights|concessions?|licen[cs]es?|contracts?)",
    r"debt\s+(?:repayment|restructuring)",
    r"(?:our|national)\s+(?:[\w'’-]+\s+)?(?:firms?|investors?|exporters?|companies)",
)
