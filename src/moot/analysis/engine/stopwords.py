"""Function words of the languages consultation answers arrive in, so that neither theme
discovery nor theme labels are ever made of them ("Die / ist" is not a theme).

English is scikit-learn's list; the others are the commonest function words (articles,
pronouns, auxiliaries, prepositions, conjunctions) of German, French, Spanish, Italian, Dutch,
Portuguese and Welsh.
"""

from __future__ import annotations

from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS

_OTHER = """
der die das den dem des ein eine einer eines einem einen und oder aber ist sind war waren
wird werden wurde sein nicht kein keine auch noch nur schon sehr mit von zu zum zur bei aus
auf für fur über uber unter nach vor an am im in ins als wie wenn dass daß ob weil denn doch
ich du er sie es wir ihr mich mir dich dir sich uns euch ihn ihm ihnen mein meine dein sein
seine unser unsere euer ihre diese dieser dieses jene man hat haben hatte hatten kann können
konnen muss müssen mussen soll sollen sollte will wollen würde wurde mehr viel viele alle
alles hier dort dann da so was wer wo wie gibt geben gut ganz immer wieder
le la les un une des du de et ou mais est sont était etait être etre avoir ont a pas ne ni
plus très tres avec pour par sur sous dans en au aux ce cet cette ces qui que quoi dont où
je tu il elle nous vous ils elles on me te se lui leur leurs mon ma mes ton ta tes son sa
ses notre nos votre vos y comme si aussi donc car fait faire peut être tout tous toute
el la los las un una unos unas y o pero es son era fue ser estar está esta están estan no
ni más mas muy con para por sobre en de del al que quien como si también tambien yo tú tu
él ella nosotros vosotros ellos ellas me te se nos le les mi mis su sus nuestro este esta
estos estas ese esa eso hay tiene tienen puede pueden
il lo la i gli le un uno una e o ma è sono era essere non più piu molto con per su in di
da del della dei delle che chi come se anche io tu lui lei noi voi loro mi ti si ci vi
questo questa quello quella ha hanno può puo
de het een en of maar is zijn was waren wordt worden niet geen ook nog al met van voor op
in aan bij uit naar dat die dit deze wie wat als dan ik jij je hij zij ze wij we jullie
mij mijn zijn haar ons onze er hier daar heeft hebben kan kunnen moet moeten zal zou meer
o os a as um uma uns umas e ou mas é são era ser estar não nao mais muito com para por em
no na nos nas do da dos das que quem como se também eu ele ela nós eles elas meu minha seu
sua este esta isso há tem têm pode
y yr a ac ar at i o yn ym mae roedd bod yw ydy oes dim nid na ni fe mi ei eu ein eich fy
gyda am wrth heb dros drwy trwy hefyd neu ond os fel hwn hon hyn hynny sydd oedd
"""

STOP_WORDS: frozenset[str] = frozenset(ENGLISH_STOP_WORDS) | frozenset(_OTHER.split())
