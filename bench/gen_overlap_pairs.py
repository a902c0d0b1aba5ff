"""Fictional labelled pairs of tracks for the N4 overlap evaluation, and the word stock the bench reuses.

Every state, crisis, armed group, place and person here is invented. A positive pair
is one process described twice, by two owners who chose their own words (one of them
may be a draft that would run beside the other); a negative is a near miss: the same
crisis with other parties or other aims, or the same process but one owner,
coordinated, closed, at other dates, or on another crisis.

Besides the pairs drawn from templates, `HANDWRITTEN` holds pairs written out in full:
paraphrases that share almost no word, and tracks on the same town or party with
different aims. Each is judged as two tracks of one crisis and party, by two owners.

    python -m bench.gen_overlap_pairs > tests/data/overlap_pairs.json

The file holds the world (organisations, crises, parties) and the pairs, so that the
evaluation needs nothing but the file.
"""

from __future__ import annotations

import json
import random
import sys
from typing import Any

# --------------------------------------------------------------------------- world

CRISES: list[dict[str, Any]] = [
    {"key": "corridor", "name": "Eastern Corridor crisis", "region": "Eastern Corridor",
     "places": ["Vell", "Ostra", "Kamen Ridge", "Dubrin", "the Sava crossing"],
     "parties": ["lfa", "tarn", "hcc", "rivermen"]},
    {"key": "delta", "name": "Marrow Delta conflict", "region": "Marrow Delta",
     "places": ["Port Ilse", "Marrowmouth", "Saltfen", "Oyre", "the Reedlands"],
     "parties": ["brm", "delta-gov", "salt-brigades", "fen-council"]},
    {"key": "highlands", "name": "Kessary Highlands emergency", "region": "Kessary",
     "places": ["Kessary Town", "Hollin", "Varr Pass", "Lammas", "Upper Teel"],
     "parties": ["kessary-front", "tarn", "highland-militia", "pastoral-union"]},
    {"key": "oru", "name": "Lake Oru basin crisis", "region": "Oru Basin",
     "places": ["Orum", "Betsi", "Naro Flats", "Kilu", "the western shore"],
     "parties": ["oru-authority", "nkr", "shore-guard", "republic-bel"]},
    {"key": "tannic", "name": "Tannic Coast war", "region": "Tannic Coast",
     "places": ["Caldre", "Mirrow", "Point Anse", "Gallet", "the coast road"],
     "parties": ["tannic-army", "coast-league", "green-banner", "republic-bel"]},
    {"key": "vesper", "name": "Vesper Valley displacement crisis", "region": "Vesper Valley",
     "places": ["Vesper", "Lorn", "Aske", "Tolle", "the dam at Ruis"],
     "parties": ["valley-council", "iron-column", "vesper-police", "nkr"]},
]  # fmt: skip

PARTIES: dict[str, tuple[str, str]] = {
    "lfa": ("Lowland Freedom Army", "armed_group"),
    "tarn": ("Republic of Tarn", "state"),
    "hcc": ("Highland Civic Council", "de_facto_authority"),
    "rivermen": ("Sava Rivermen", "armed_group"),
    "brm": ("Black Reed Movement", "armed_group"),
    "delta-gov": ("Delta Provisional Government", "de_facto_authority"),
    "salt-brigades": ("Salt Brigades", "armed_group"),
    "fen-council": ("Fen Elders' Council", "de_facto_authority"),
    "kessary-front": ("Kessary Liberation Front", "armed_group"),
    "highland-militia": ("Highland Home Militia", "armed_group"),
    "pastoral-union": ("Pastoral Union", "de_facto_authority"),
    "oru-authority": ("Oru Basin Authority", "de_facto_authority"),
    "nkr": ("Northern Kingdom of Ruel", "state"),
    "shore-guard": ("Shore Guard", "armed_group"),
    "republic-bel": ("Republic of Belmark", "state"),
    "tannic-army": ("Tannic National Army", "state"),
    "coast-league": ("Coast League", "armed_group"),
    "green-banner": ("Green Banner", "armed_group"),
    "valley-council": ("Valley Council", "de_facto_authority"),
    "iron-column": ("Iron Column", "armed_group"),
    "vesper-police": ("Vesper Special Police", "armed_group"),
}

ORGANISATIONS: list[dict[str, Any]] = [
    {"key": "varnia-mfa", "name": "Varnia, Ministry of Foreign Affairs", "kind": "department",
     "government": "varnia"},
    {"key": "varnia-dev", "name": "Varnia, Development Agency", "kind": "department", "government": "varnia"},
    {"key": "varnia-def", "name": "Varnia, Ministry of Defence", "kind": "department", "government": "varnia"},
    {"key": "ostmark", "name": "Kingdom of Ostmark", "kind": "state", "government": "ostmark"},
    {"key": "selden", "name": "Republic of Selden", "kind": "state", "government": "selden"},
    {"key": "quorra", "name": "Quorra Federation", "kind": "state", "government": "quorra"},
    {"key": "ilmar", "name": "Grand Duchy of Ilmar", "kind": "state", "government": "ilmar"},
    {"key": "pell-union", "name": "Pell Union of States", "kind": "multilateral"},
]  # fmt: skip

# --------------------------------------------------------------------------- processes

# Each topic can be written many ways. {p}, {q} are places; {x}, {y} party names.
TOPICS: dict[str, dict[str, list[str]]] = {
    "access": {
        "titles": ["Access talks for {p}", "Humanitarian entry to {p} and {q}", "Opening the road to {p}",
                   "Aid passage negotiations ({p})", "Getting relief into {p}",
                   "Unblocking deliveries to {q} and {p}"],
        "descs": ["Negotiating with {x} so that aid convoys can pass the checkpoints on the way to {p}.",
                  "Our envoy holds discussions with {x} and {y} about letting relief trucks reach {p} and {q}.",
                  "Contacts with {x} commanders; objective: lorries with supplies cross into {q} without "
                  "being turned back.",
                  "Shuttle diplomacy to lift the roadblocks that keep assistance from {p}.",
                  "{x} controls the approaches to {p}; we press for unimpeded delivery of food and medicine.",
                  ""],
        "aims": ["humanitarian access to {p} and {q}", "weekly aid convoys through the checkpoints",
                 "trucks with relief supplies reach {p}", "reopen crossings near {q}",
                 "unimpeded delivery of assistance to {p}", "roadblocks on the {p} road lifted",
                 "relief goods enter {q} every week"],
    },
    "detainees": {
        "titles": ["Prisoner exchange in {p}", "Detainee release talks", "Freeing captives held near {p}",
                   "Swap of detainees between {x} and {y}", "Release of people held at {q}",
                   "Hostage and prisoner file"],
        "descs": ["Mediation of a swap of detainees held since the winter offensive near {p}.",
                  "We act as go-between for {x} and {y} on freeing prisoners, starting with the sick and "
                  "elderly held at {q}.",
                  "Quiet contacts on an all-for-all exchange of captives; lists compared in {p}.",
                  "Facilitating the handover of detained civilians; {x} holds about 300 people.",
                  "Seeks liberation of hostages taken at {q}; family visits as a first step.",
                  ""],
        "aims": ["release of detainees held by both sides", "family visits for prisoners held at {q}",
                 "an exchange of captives, sick and elderly first", "lists of people held compared and agreed",
                 "freeing of civilians detained near {p}", "ICRC-style visits to places of detention"],
    },
    "medevac": {
        "titles": ["Medical evacuation from {p}", "Evacuating the wounded of {q}",
                   "Casualty extraction corridor ({p})", "Patients out of besieged {p}",
                   "Medevac arrangement with {x}"],
        "descs": ["Arranging safe passage for injured civilians from {p} to hospitals in {q}.",
                  "Talks with {x} to let ambulances bring out the sick and wounded from {p}.",
                  "The hospital in {p} is overwhelmed; we negotiate the transfer of critical patients.",
                  "Evacuation of casualties by road from {q}, with {y} guaranteeing the route.",
                  ""],
        "aims": ["evacuation of wounded civilians from {p}", "ambulances allowed through to {q}",
                 "critical patients transferred to hospitals", "safe route for the injured out of {p}",
                 "medical cases leave {p} within 48 hours of request"],
    },
    "vaccination": {
        "titles": ["Vaccination pause in {p}", "Polio campaign days", "Immunisation truce for {q}",
                   "Days of tranquillity for measles jabs", "Child vaccination access ({p})"],
        "descs": ["Securing a pause in fighting so that vaccinators can reach children in {p} and {q}.",
                  "Negotiating days of tranquillity with {x} and {y} for the measles round.",
                  "Our health attaché discusses with {x} how teams can immunise minors in {q}.",
                  "A short cessation of hostilities for the polio round; mobile teams in {p}.",
                  ""],
        "aims": ["vaccination teams reach children in {p}", "three days without shelling for the campaign",
                 "immunisation of minors in {q}", "measles and polio rounds completed",
                 "health workers move freely during the campaign"],
    },
    "water": {
        "titles": ["Repairing the {p} water station", "Water for {q}", "Pumping station access",
                   "Restoring water supply to {p}", "Engineers to the {q} waterworks"],
        "descs": ["Negotiating a local arrangement so that technicians can fix the pumps serving {p}.",
                  "Contacts with {x} to let engineers reach the water plant at {q} under a short lull.",
                  "The wells of {p} are dry since the station was hit; we seek a repair window.",
                  "Restore drinking water for {q}; both {x} and {y} must keep crews safe.",
                  ""],
        "aims": ["water station at {p} repaired", "technicians reach the waterworks safely",
                 "drinking water restored to {q}", "a repair window agreed by the parties",
                 "pumps serving {p} back in operation"],
    },
    "returns": {
        "titles": ["Return of displaced families to {p}", "Going home to {q}", "Voluntary returns ({p})",
                   "IDP return conditions", "Resettling the uprooted of {q}"],
        "descs": ["Talks on conditions for displaced people to go back to {p} in safety and dignity.",
                  "We press {x} to allow families who fled {q} to return and recover their homes.",
                  "Framework for voluntary repatriation of refugees from camps near {p}.",
                  "Property, documents and safety guarantees so that IDPs can return to {q}.",
                  ""],
        "aims": ["safe and voluntary return of displaced families to {p}", "homes and land restored to returnees",
                 "documents issued to people going back to {q}", "no forced returns from the camps",
                 "refugees from {p} can go home"],
    },
    "missing": {
        "titles": ["Tracing the missing of {p}", "Missing persons mechanism", "Recovering remains near {q}",
                   "Families of the disappeared", "Search for people missing since the {p} fighting"],
        "descs": ["Setting up a joint mechanism with {x} and {y} to trace persons missing since the fighting.",
                  "Exhumation and identification of mortal remains at {q}; families informed.",
                  "Discussions on sharing records about the disappeared from {p}.",
                  "Answers for families: a search commission with access to {q}.",
                  ""],
        "aims": ["a joint mechanism to trace missing persons", "remains at {q} identified and returned",
                 "families told the fate of their relatives", "records on the disappeared shared",
                 "search teams given access to {p}"],
    },
    "demining": {
        "titles": ["Clearing mines from {p} farmland", "Harvest safety in {q}", "Demining before the harvest",
                   "Landmine clearance ({p})", "Safe fields for {q} farmers"],
        "descs": ["Negotiating access for clearance teams to the fields around {p} before the harvest.",
                  "Contacts with {x} to map and remove explosive remnants in {q}.",
                  "Farmers cannot reach their crops; we seek agreement on a mine clearance plan.",
                  "Landmines laid near {p} must be charted and removed; {y} holds the maps.",
                  ""],
        "aims": ["farmland around {p} cleared of mines", "maps of minefields handed over",
                 "farmers reach their fields in {q} for the harvest", "clearance teams work unhindered",
                 "explosive remnants removed from {p}"],
    },
    "schools": {
        "titles": ["Schools out of the fighting in {p}", "Protecting classrooms in {q}",
                   "Education safe zones", "Reopening schools of {p}", "Vacating occupied schools"],
        "descs": ["Asking {x} to withdraw fighters from schools in {p} so that classes can resume.",
                  "Talks on a commitment to keep education facilities out of military use in {q}.",
                  "Children of {p} have been out of school for a year; we seek guarantees for teachers.",
                  "Endorsement of safe-schools commitments by {x} and {y}.",
                  ""],
        "aims": ["schools in {p} vacated by armed men", "classes resume in {q}",
                 "no military use of education buildings", "teachers and pupils protected",
                 "schools of {p} reopened"],
    },
    "fuel": {
        "titles": ["Fuel for the hospitals of {p}", "Diesel deliveries to {q}", "Keeping generators running",
                   "Power for clinics in {p}", "Fuel convoy talks"],
        "descs": ["Negotiating passage of diesel for hospital generators in {p}.",
                  "Our team discusses with {x} a monthly fuel allowance for {q} health facilities.",
                  "Hospitals in {p} run out of petrol within days; we press for deliveries.",
                  "Electricity for clinics: fuel tankers must be let through to {q}.",
                  ""],
        "aims": ["diesel reaches hospitals in {p}", "generators in clinics keep running",
                 "a monthly fuel allowance for {q}", "fuel tankers let through the lines",
                 "power restored to health facilities in {p}"],
    },
}  # fmt: skip


# Pairs written out in full: (why, label, (title, description, aims) of each track).
HANDWRITTEN: list[tuple[str, int, tuple[str, str, list[str]], tuple[str, str, list[str]]]] = [
 ("paraphrase, written out", 1,
  ("Aid workers in custody", "Two relief agency staff arrested at the Dubrin checkpoint.", ["release of detained aid workers"]),
  ("Humanitarian staff held", "Pressing for our partners' employees to be let go.", ["freeing humanitarian staff held in custody"])),
 ("paraphrase, written out", 1,
  ("Fuel for Ostra hospital", "Generators at the hospital are running dry.", ["diesel deliveries allowed for the hospital generators"]),
  ("Keeping the lights on in the wards", "Power for surgery and incubators.", ["fuel trucks let through so the hospital keeps electricity"])),
 ("paraphrase, written out", 1,
  ("Cash assistance", "Banks closed; families cannot receive transfers.", ["mobile money transfers to displaced families permitted"]),
  ("Payments to households", "Lifting the ban on humanitarian cash.", ["humanitarian cash programmes allowed to pay people again"])),
 ("paraphrase, written out", 1,
  ("Return of remains", "Bodies of fallen fighters held on both sides.", ["exchange of mortal remains between the sides"]),
  ("Repatriation of the dead", "Families want to bury their sons.", ["bodies of the dead handed back to families for burial"])),
 ("paraphrase, written out", 1,
  ("Grain out of the port", "Silos full while ships wait offshore.", ["safe passage for grain ships leaving the harbour"]),
  ("Wheat shipments", "Export corridor for cereals by sea.", ["vessels carrying wheat allowed to sail from the port"])),
 ("paraphrase, written out", 1,
  ("Visas for relief staff", "International staff wait months for permits.", ["entry permits issued quickly to international aid personnel"]),
  ("Staff permits", "Bureaucratic impediments to deployments.", ["faster work visas for humanitarian workers"])),
 ("paraphrase, written out", 1,
  ("Child soldiers", "Minors in the ranks of the Brigades.", ["release of children recruited by the armed group"]),
  ("Demobilising minors", "Boys taken from villages to fight.", ["under-age fighters handed over to child protection services"])),
 ("paraphrase, written out", 1,
  ("Cholera response", "Outbreak in the camps.", ["oral cholera vaccine campaign allowed in the camps"]),
  ("Outbreak control", "Teams blocked from immunising against cholera.", ["vaccinators able to immunise camp residents against cholera"])),
 ("paraphrase, written out", 1,
  ("Family reunification", "Children separated during the flight.", ["separated children reunited with their parents across the front line"]),
  ("Reuniting families", "Tracing of unaccompanied minors.", ["unaccompanied children brought back to their families"])),
 ("paraphrase, written out", 1,
  ("Mine maps", "Fields around the villages still mined.", ["minefield records handed over to clearance teams"]),
  ("Clearance information", "The army knows where it laid explosives.", ["maps of where landmines were laid shared with deminers"])),
 ("paraphrase, written out", 1,
  ("Journalists detained", "Three reporters held incommunicado.", ["release of the imprisoned journalists"]),
  ("Media workers", "Our nationals among the press held by the Council.", ["freedom for reporters jailed by the authorities"])),
 ("paraphrase, written out", 1,
  ("Sewage and sanitation", "Sewage flooding the streets of the old town.", ["repair of the sewage pumps"]),
  ("Wastewater crisis", "Engineers must reach the treatment plant.", ["engineers allowed to fix the wastewater treatment plant"])),
 ("paraphrase, written out", 1,
  ("Registration of NGOs", "New rules stall every agency.", ["aid organisations registered without delay"]),
  ("Licensing of relief agencies", "Permits withheld for months.", ["licences granted promptly to humanitarian organisations"])),
 ("paraphrase, written out", 1,
  ("Convoy notifications", "Convoys stopped despite notification.", ["notified aid convoys respected at checkpoints"]),
  ("Deconfliction of movements", "Humanitarian trucks fired upon.", ["humanitarian movements deconflicted and not attacked"])),
 ("paraphrase, written out", 1,
  ("Seeds before planting", "Farmers missed last season.", ["seeds and tools delivered to farmers before the rains"]),
  ("Planting season", "Agricultural inputs stuck at the border.", ["agricultural inputs reach growers in time for sowing"])),
 ("paraphrase, written out", 1,
  ("Telecoms blackout", "Phone network cut for weeks.", ["mobile network restored so aid agencies can coordinate"]),
  ("Communications for responders", "Satellite phones confiscated.", ["humanitarian teams allowed to use radios and satellite phones"])),
 ("paraphrase, written out", 1,
  ("Besieged town food", "No food has entered in four months.", ["food deliveries into the besieged town"]),
  ("Ending starvation in the enclave", "The encircled population is hungry.", ["relief rations reach the encircled population"])),
 ("paraphrase, written out", 1,
  ("Protection of hospitals", "Strikes on clinics.", ["health facilities spared from attack"]),
  ("Medical facilities", "Respect for the wounded and sick and those who care for them.", ["no more shelling of hospitals and clinics"])),
 ("paraphrase, written out", 1,
  ("Refugees at the border", "Thousands stranded at the crossing.", ["people fleeing allowed to cross into safety"]),
  ("Border admission", "Asylum seekers turned back.", ["refugees admitted at the frontier instead of being pushed back"])),
 ("paraphrase, written out", 1,
  ("Polio round", "Children missed in the last campaign.", ["polio vaccination reaches every child under five"]),
  ("Immunisation days", "Teams need a pause in fighting to immunise kids.", ["days of tranquillity so vaccinators can immunise young children"])),
 ("same place, other aims, written out", 0,
  ("Ostra water", "Water pipes in Ostra.", ["repair of Ostra's water network"]),
  ("Ostra schools", "Exams for Ostra pupils.", ["Ostra pupils able to sit their exams"])),
 ("same place, other aims, written out", 0,
  ("Dubrin bakery", "Flour for the bakery in Dubrin.", ["flour reaches the Dubrin bakeries"]),
  ("Dubrin detainees", "Men held at the Dubrin barracks.", ["visits to detainees at the Dubrin barracks"])),
 ("same place, other aims, written out", 0,
  ("Port Ilse fuel", "Fuel imports at Port Ilse.", ["fuel tankers unloaded at Port Ilse"]),
  ("Port Ilse fishermen", "Fishing boats confined to harbour.", ["fishermen of Port Ilse allowed back to sea"])),
 ("same place, other aims, written out", 0,
  ("Vell hospital", "Surgical supplies for Vell hospital.", ["surgical kits delivered to the hospital in Vell"]),
  ("Vell returns", "Families who fled Vell.", ["displaced families return to their homes in Vell"])),
 ("same place, other aims, written out", 0,
  ("Saltfen dam", "The dam at Saltfen is damaged.", ["engineers inspect and repair the Saltfen dam"]),
  ("Saltfen missing", "People disappeared around Saltfen.", ["families of Saltfen told the fate of the missing"])),
 ("same place, other aims, written out", 0,
  ("Kamen Ridge demining", "Mines on the Kamen Ridge pastures.", ["pastures of Kamen Ridge cleared of mines"]),
  ("Kamen Ridge school", "The school is used as a barracks.", ["fighters leave the Kamen Ridge school"])),
 ("same place, other aims, written out", 0,
  ("Marrowmouth electricity", "Power lines down.", ["electricity restored to Marrowmouth"]),
  ("Marrowmouth cash", "Salaries unpaid.", ["cash transfers to Marrowmouth households"])),
 ("same place, other aims, written out", 0,
  ("Hollin clinic", "The clinic lacks vaccines.", ["measles vaccines reach the Hollin clinic"]),
  ("Hollin prisoners", "Men detained after the Hollin raid.", ["release of men detained after the Hollin raid"])),
 ("other aims, written out", 0,
  ("Access for convoys", "Checkpoints block trucks.", ["aid convoys pass the checkpoints"]),
  ("Prisoner exchange", "Lists compared.", ["exchange of prisoners held by both sides"])),
 ("other aims, written out", 0,
  ("Grain exports", "Ships waiting.", ["grain ships sail from the port"]),
  ("Detained sailors", "Crews held since the seizure.", ["release of detained ship crews"])),
 ("other aims, written out", 0,
  ("Water trucking", "Camps without water.", ["water trucked to the camps every day"]),
  ("Camp schooling", "Children in the camps out of school.", ["temporary classrooms open in the camps"])),
 ("other aims, written out", 0,
  ("NGO registration", "Permits withheld.", ["aid organisations registered"]),
  ("Bank transfers", "Sanctions block payments.", ["banks process humanitarian payments"])),
 ("other aims, written out", 0,
  ("Evacuation of the wounded", "Ambulances blocked.", ["critically injured civilians evacuated"]),
  ("Burial of the dead", "Bodies left in the streets.", ["dignified burial of the dead"])),
 ("other aims, written out", 0,
  ("Ceasefire monitoring", "Observers along the line.", ["a monitoring mission deployed along the contact line"]),
  ("Cash for returnees", "Grants to rebuild homes.", ["cash grants for returning families"])),
 ("other aims, written out", 0,
  ("Child recruitment", "Boys in the ranks.", ["children released from the armed group"]),
  ("Child vaccination", "Measles outbreak.", ["children vaccinated against measles"])),
 ("other aims, written out", 0,
  ("Journalist access", "Press barred.", ["foreign press allowed to report from the front"]),
  ("Journalists detained", "Reporters held.", ["release of detained journalists"])),
 ("other aims, written out", 0,
  ("Electricity for water pumps", "Pumps idle without power.", ["power supply to the pumping stations"]),
  ("Fuel for bakeries", "Bread production halted.", ["fuel for bakeries so bread is baked again"])),
 ("other aims, written out", 0,
  ("Landmine clearance on roads", "Roads mined.", ["main supply road cleared of mines"]),
  ("Road checkpoints", "Extortion at checkpoints.", ["no fees demanded from aid trucks at checkpoints"])),
]  # fmt: skip


def handwritten() -> list[dict[str, Any]]:
    """The written-out pairs, each on one crisis and one party, by two owners, at the same time."""
    out: list[dict[str, Any]] = []
    for n, (why, label, *sides) in enumerate(HANDWRITTEN):
        tracks = []
        for side, owner, (title, description, aims) in zip("ab", ("ostmark", "selden"), sides, strict=True):
            tracks.append({
                "key": f"h{n}{side}", "owner": owner, "kind": "humanitarian", "crisis": "delta",
                "title": title, "description": description, "parties": ["brm"], "aims": aims,
                "start": "2026-02-01", "end": "2026-11-30",
            })  # fmt: skip
        out.append({"label": label, "why": why, "a": tracks[0], "b": tracks[1]})
    return out


def _fill(template: str, places: list[str], names: list[str]) -> str:
    text = template.format(p=places[0], q=places[1], x=names[0], y=names[-1])
    return text[0].upper() + text[1:] if text else text


def track(
    rng: random.Random,
    key: str,
    owner: str,
    crisis: dict[str, Any],
    topic: str,
    parties: list[str],
    places: list[str],
    start: str,
    end: str,
    kind: str = "humanitarian",
    **extra: Any,
) -> dict[str, Any]:
    """One track written in one desk's own words about a process."""
    t = TOPICS[topic]
    # Desks name parties differently: full name, or an acronym of it.
    names = [
        PARTIES[p][0]
        if rng.random() < 0.6
        else "".join(w[0] for w in PARTIES[p][0].split() if w[0].isupper())
        for p in parties
    ]
    ps = places[:] if rng.random() < 0.5 else places[::-1]
    n_aims = rng.choice([1, 2, 2, 3])
    aims = [_fill(a, ps, names) for a in rng.sample(t["aims"], n_aims)]
    aims = [a[0].lower() + a[1:] if rng.random() < 0.5 else a for a in aims]
    out = {
        "key": key,
        "owner": owner,
        "kind": kind,
        "crisis": crisis["key"],
        "title": _fill(rng.choice(t["titles"]), ps, names),
        "description": _fill(rng.choice(t["descs"]), ps, names),
        "parties": parties,
        "aims": aims,
        "start": start,
        "end": end,
    }
    out.update(extra)
    return out


def workspace(tracks: list[dict[str, Any]], today: str = "2026-06-01") -> dict[str, Any]:
    """A whole workspace document around some tracks."""
    return {
        "format": "accord-workspace/1",
        "today": today,
        "organisations": ORGANISATIONS,
        "crises": [{"key": c["key"], "name": c["name"], "region": c["region"]} for c in CRISES],
        "parties": [{"key": k, "name": n, "kind": kind} for k, (n, kind) in PARTIES.items()],
        "initiatives": tracks,
    }


def _dates(rng: random.Random) -> tuple[str, str]:
    start = f"2026-0{rng.randint(1, 5)}-{rng.randint(1, 28):02d}"
    end = f"2026-{rng.randint(7, 12):02d}-{rng.randint(1, 28):02d}"
    return start, end


def pairs(n_pos: int = 170, n_neg: int = 180, seed: int = 4) -> list[dict[str, Any]]:
    """Labelled pairs: {"label": 0|1, "why": ..., "a": track, "b": track}."""
    rng = random.Random(seed)
    owners = [o["key"] for o in ORGANISATIONS]
    out: list[dict[str, Any]] = []

    def base(n: int) -> tuple[dict[str, Any], str, list[str], list[str], str, str]:
        crisis = rng.choice(CRISES)
        topic = rng.choice(sorted(TOPICS))
        parties = rng.sample(crisis["parties"], rng.choice([1, 2, 2, 3]))
        places = rng.sample(crisis["places"], 2)
        o1, o2 = rng.sample(owners, 2)
        return crisis, topic, parties, places, o1, o2

    for n in range(n_pos):
        crisis, topic, parties, places, o1, o2 = base(n)
        s1, e1 = _dates(rng)
        s2, e2 = _dates(rng)
        a = track(rng, f"p{n}a", o1, crisis, topic, parties, places, s1, e1)
        # The other desk may list the parties in another order, one more, or one fewer.
        parties_b = rng.sample(parties, len(parties))
        extra = [p for p in crisis["parties"] if p not in parties]
        if rng.random() < 0.25 and extra:
            parties_b.append(rng.choice(extra))
        elif rng.random() < 0.2 and len(parties_b) > 1:
            parties_b.pop()
        kind = "political" if rng.random() < 0.15 else "humanitarian"
        status = rng.choices(["active", "paused", "draft"], [0.82, 0.1, 0.08])[0]
        b = track(rng, f"p{n}b", o2, crisis, topic, parties_b, places, s2, e2, kind=kind, status=status)
        why = "same process, one a draft" if status == "draft" else "same process, other words"
        out.append({"label": 1, "why": why, "a": a, "b": b})

    reasons = [
        "same crisis and parties, other aims",
        "same crisis and parties, other aims",
        "same crisis and parties, other aims",
        "same aims, other parties",
        "same aims, other parties",
        "same owner",
        "coordinated",
        "dates apart",
        "closed",
        "other crisis",
    ]
    for n in range(n_neg):
        why = reasons[n % len(reasons)]
        crisis, topic, parties, places, o1, o2 = base(n)
        s1, e1 = _dates(rng)
        s2, e2 = _dates(rng)
        a = track(rng, f"n{n}a", o1, crisis, topic, parties, places, s1, e1)
        topic_b, parties_b, crisis_b, places_b, owner_b = topic, parties, crisis, places, o2
        extra: dict[str, Any] = {}
        if why.endswith("other aims"):
            topic_b = rng.choice([t for t in sorted(TOPICS) if t != topic])
            places_b = rng.sample(crisis["places"], 2)
        elif why == "same aims, other parties":
            parties_b = [p for p in crisis["parties"] if p not in parties][:2] or ["republic-bel"]
            places_b = rng.sample(crisis["places"], 2)
        elif why == "same owner":
            owner_b = o1
        elif why == "coordinated":
            extra["coordinated_with"] = [a["key"]] if rng.random() < 0.5 else []
            if not extra["coordinated_with"]:
                a["coordinated_with"] = [f"n{n}b"]
        elif why == "dates apart":
            s2, e2 = "2026-09-01", "2027-03-01"
            a["start"], a["end"] = "2026-01-15", "2026-08-20"
        elif why == "closed":
            extra["status"] = "closed"
        elif why == "other crisis":
            crisis_b = rng.choice([c for c in CRISES if c is not crisis])
            parties_b = [p for p in parties if p in crisis_b["parties"]] or rng.sample(crisis_b["parties"], 1)
            places_b = rng.sample(crisis_b["places"], 2)
        b = track(rng, f"n{n}b", owner_b, crisis_b, topic_b, parties_b, places_b, s2, e2, **extra)
        out.append({"label": 0, "why": why, "a": a, "b": b})
    return out


def main() -> None:
    world = workspace([])
    data = {k: world[k] for k in ("today", "organisations", "crises", "parties")}
    data["pairs"] = pairs() + handwritten()
    # One pair a line: the file stays readable and diffs stay small.
    head = json.dumps(data | {"pairs": []}, ensure_ascii=False)[: -len("[]}")]
    body = ",\n".join(json.dumps(p, ensure_ascii=False) for p in data["pairs"])
    sys.stdout.write(head + "[\n" + body + "\n]}\n")


if __name__ == "__main__":
    main()
