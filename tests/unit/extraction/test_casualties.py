from __future__ import annotations

from services.extraction.casualties import sentence_casualties


def test_killed_summed_across_parties() -> None:
    c = sentence_casualties("Gunmen killed 4 gendarmes and two herders near the well.")
    assert c.killed == 6
    assert c.parties == {"state", "civilian"}


def test_killed_and_wounded_kept_apart() -> None:
    c = sentence_casualties("Eleven peacekeepers were killed and three wounded when the convoy was hit.")
    assert (c.killed, c.injured) == (11, 3)


def test_sub_count_not_added() -> None:
    c = sentence_casualties("The raid killed at least 30 villagers, including 9 women, on Monday.")
    assert c.killed == 30


def test_sub_count_used_when_parent_is_vague() -> None:
    c = sentence_casualties("Jihadists have killed hundreds of troops, including 14 soldiers in the raid on Boni.")
    assert c.killed == 14


def test_possibly_gives_a_high_figure() -> None:
    c = sentence_casualties("At least 20 people were killed, possibly 40, according to residents.")
    assert (c.killed, c.killed_high) == (20, 40)


def test_between_gives_low_and_high() -> None:
    c = sentence_casualties("Between 5 and 9 fighters were killed.")
    assert (c.killed, c.killed_high) == (5, 9)


def test_more_than_is_a_bound_and_dozens_is_vague() -> None:
    assert sentence_casualties("More than 50 people were killed.").killed_bound
    c = sentence_casualties("Dozens of civilians were killed.")
    assert c.killed == 12 and c.killed_bound


def test_words_and_left_dead() -> None:
    c = sentence_casualties("The blast left nine soldiers dead and about 20 wounded.")
    assert (c.killed, c.injured) == (9, 20)


def test_neutralised_counts_as_killed() -> None:
    assert sentence_casualties("The army said it neutralised 17 terrorists.").killed == 17


def test_abducted_and_missing_kept_apart() -> None:
    c = sentence_casualties("Three teachers were abducted and two pupils are missing.")
    assert c.abducted == 3 and c.killed is None


def test_pair_with_article() -> None:
    assert sentence_casualties("Two policemen and a trader were killed at the market.").killed == 3


def test_no_death_stated_is_none_and_no_casualties_is_zero() -> None:
    assert sentence_casualties("Gunmen attacked the post of Boni.").killed is None
    assert sentence_casualties("No casualties were reported.").killed == 0


def test_earlier_figure_flagged() -> None:
    assert sentence_casualties("A local source had earlier said six soldiers were killed.").earlier


def test_french() -> None:
    c = sentence_casualties("Au moins douze civils ont été tués et cinq blessés.")
    assert (c.killed, c.injured) == (12, 5)


def test_distances_and_years_are_not_tolls() -> None:
    assert sentence_casualties("The village, 40 km from Gao, was attacked in 2023 and burned.").killed is None


def test_one_person_told_in_the_singular() -> None:
    assert sentence_casualties("An old herdsman was shot dead near his camp by bandits.").killed == 1
    assert sentence_casualties("A gendarme died of his wounds on Tuesday.").killed == 1
    assert sentence_casualties("A young driver was wounded by gunfire.").injured == 1
    c = sentence_casualties("The gunmen killed a village chief and three of his sons.")
    assert c.killed == 4


def test_a_dozen_is_not_one() -> None:
    assert sentence_casualties("Militiamen killed a dozen herders near the river.").killed == 12
    assert sentence_casualties("A vehicle was destroyed in the blast.").killed is None
