"""What the demo shows of each principle: its true alerts and its near misses."""

from __future__ import annotations

# What each principle's true alert is in the demo: (principle, finding kind, a subject).
TRUE_ALERTS = [
    ("D1", "single_source", "sunder-port-access"),  # Sundermere is reported on by NGOs only
    ("D2", "aid_as_leverage", "delta-aid-offer"),  # food aid offered for shipping-lane access
    ("D2", "depends_on_political_track", "sunder-evacuation"),  # evacuations wait on the envoy's talks
    ("D3", "agreement_without_monitoring", "delta-protection"),
    ("D3", "red_line_breach_unanswered", "delta-shelters"),
    ("D3", "no_red_lines", "corridor-ceasefire"),
    ("D4", "missing_signoff", "d-corridor-fund"),  # Finance has not signed for three weeks
    ("D4", "missing_signoff", "d-delta-protect"),  # Ostmark, a partner for sign-off, has not
    ("D4", "signoff_declined", "d-karst-grants"),
    ("D4", "acted_without_signoff", "d-karst-detention-visits"),
    ("D4", "resources_lapse", "karst-conference"),
    ("D4", "borrowed_resources", "karst-front-access"),
    ("D4", "no_dedicated_staff", "sunder-halvia"),
    ("D5", "no_interlocutor", "karst-front-access"),  # nobody mapped with influence on the Front
    ("N1", "humanitarian_ceasefire_wording", "corridor-ceasefire"),
    ("N2", "disengagement_without_impact_assessment", "karst-disengage"),
    ("N3", "symbolic_only", "ostmark-valleys"),
    ("N3", "symbolic_only", "karst-conference"),
    ("N3", "outcome_not_moving", "corridor-access"),  # checkpoints stay shut as convoys multiply
    ("N4", "parallel_tracks", "corridor-access"),  # with Ostmark's ostmark-valleys
    ("N4", "parallel_tracks", "karst-front-access"),  # with Ostmark's karst-ostmark-access
    ("N4", "contradictory_leverage", "tessaly-lfa-travel-bans"),  # against Varnia's fund for the LFA
    ("N5", "punitive_leverage_without_do_no_harm", "corridor-sanctions"),
]

# Near misses: tracks that come close to a principle's line without crossing it, so
# raise no alert of that principle. (principle, track, what makes it a near miss)
NEAR_MISSES = [
    (
        "D1",
        "delta-clinic-supplies",
        "its own reports all come from one NGO, but reports on its crisis come from UN "
        "agencies and local actors too, so it is informed by more than one kind of source",
    ),
    (
        "D2",
        "corridor-water",
        "a humanitarian track that waits on another humanitarian track (the mobile clinics), "
        "not on a political, security or economic one",
    ),
    (
        "D2",
        "delta-port-customs",
        "an economic track whose aid offer was lifted: a lifted offer is no longer leverage",
    ),
    (
        "D3",
        "delta-water",
        "a red line reported breached at Kessel Bay, answered two days later by a decision on the track",
    ),
    (
        "D3",
        "corridor-lakes-observers",
        "an agreement logged on a track that has compliance monitoring (the observers' monthly report)",
    ),
    (
        "D4",
        "corridor-water",
        "staff and funding lines that end on the track's last day: they last as long as it does",
    ),
    (
        "D4",
        "delta-mine-action",
        "a track on borrowed resources only, but short (150 days): only long tracks need their own",
    ),
    (
        "D4",
        "corridor-detainees",
        "every decision signed by every department it touches, including Finance for the sanctions it names",
    ),
    (
        "D5",
        "corridor-detainees",
        "engages the Lowland Freedom Army, an armed group, with the Council of River Elders "
        "mapped as having influence over it",
    ),
    (
        "N1",
        "corridor-line-monitoring",
        "a security track that monitors the Lowmoor ceasefire line: a ceasefire on its own, "
        "not access made to wait for one",
    ),
    (
        "N1",
        "sunder-port-access",
        "says access for relief ships is not conditional on any truce: the framing is denied",
    ),
    (
        "N2",
        "delta-council-review",
        "suspends ministerial contacts with the Delta Provisional Council after a humanitarian "
        "impact assessment, keeping the humanitarian channel open",
    ),
    (
        "N3",
        "corridor-cash",
        "counts ministerial visits, a symbolic metric, but also an outcome with a target "
        "(families receiving monthly cash)",
    ),
    (
        "N3",
        "corridor-shelter",
        "an outcome measured every month since the track began, rising steadily toward its target",
    ),
    (
        "N4",
        "corridor-sanctions",
        "Finance's asset freezes on LFA commanders run while the foreign ministry offers the LFA "
        "reconstruction funds, but the two tracks are coordinated",
    ),
    (
        "N4",
        "sunder-fuel",
        "Ostmark's fuel track and Varnia's port-access track engage the same authority on "
        "the same aims at the same time, and are linked as coordinated",
    ),
    (
        "N4",
        "corridor-contact-group",
        "an earlier contact group on the Lowland Freedom Army, closed before the current access talks began",
    ),
    (
        "N5",
        "sunder-financiers",
        "active sanctions on the militia's financiers, with a do-no-harm analysis recorded",
    ),
    (
        "N5",
        "corridor-budget-support",
        "budget support proposed with conditions, with a do-no-harm analysis recorded",
    ),
]
