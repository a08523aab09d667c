# leadhub public site: Somali (machine-assisted draft translated from en; needs review by native speakers).
# Every key here must exist in es, so and hmn (a test fails otherwise).
# Placeables: $site (site name), $phone, $area, $code, $due, $max, $minutes.

## Language names, always written in their own language
lang-en = English
lang-es = Español
lang-so = Soomaali
lang-hmn = Hmoob
language-switch = Luqadda

## Frame
skip-to-content = U gudub qoraalka ugu muhiimsan
site-tagline = Daryeel iyo isku-dubbarid, beddelka xabsiga
nav-home = Bogga hore
nav-about = Waa maxay LEAD
nav-fits = Yaa loogu talagalay
nav-refer = Soo gudbi qof
nav-contact = Nala soo xiriir
nav-reach = Saacadaha iyo taleefanka
nav-governance = Sida naloo maamulo
nav-privacy = Ilaalinta xogta
nav-menu = Liiska
emergency-banner = Xaalad degdeg ah haddii ay jirto, wac 911. LEAD ma aha adeeg degdeg ah.
footer-about = LEAD Minneapolis waxay u adeegtaa agagaarka East Lake Street.
footer-hours = Shaqaaluhu waxay akhriyaan fariimaha Isniinta ilaa Jimcaha, 9 AM ilaa 4 PM (waqtiga Central).
demo-banner = Bog tusaale ah: wax kasta oo halkan ku qoran waa la sameeyay, run ma aha.

## Home
home-title = Caawimaad deriskeenna, ee ma aha xarig
home-lead = LEAD waxay dadka East Lake Street ee marar badan dhibaato sharci la kulma sababo la xiriira daroogada, caafimaadka maskaxda ama saboolnimada, ku xirtaa maareeye kiis oo la socda inta ay doonayaan caawimaad.
home-refer-button = Soo gudbi qof
home-contact-button = Weydii su'aal
home-card-what-title = Waxa ay LEAD qabato
home-card-what-body = Maareeyayaasha kiisasku waxay dadka kula kulmaan meesha ay joogaan, waddada, waxayna kala shaqeeyaan hoyga, caafimaadka, dakhliga iyo wax kasta oo kale oo ay iyagu doortaan. Ciqaab ma jirto, qofna barnaamijka lagama saaro.
home-card-who-title = Yaa la soo gudbin karaa
home-card-who-body = Dadka waaweyn ee ku nool ama waqti ku qaata agagaarka East Lake Street, oo dhibaatooyinkooda sharci ay ka yimaadeen baahiyo aan la daboolin. Ma hubtid? Si kastaba ha ahaatee soo gudbi, annaga ayaa arrinta eegi doona.
home-card-reach-title = La xiriirka qof shaqaale ah
home-card-reach-body = Wac ama fariin qoraal ah u dir { $phone }. Waa khad fariimaha codka ah oo aan eegno maalmaha shaqada, waxaanan isku daynaa inaan kaga jawaabno hal maalin shaqo gudaheed.
home-steps-title = Waxa dhaca marka aad qof soo gudbiso
home-step-1 = Waxaad noo sheegaysaa waxa aad taqaanid: magac haddii aad haysid, ama kaliya sida qofku u eg yahay iyo meesha aad ku aragtid.
home-step-2 = Maareeye kiis ayaa akhriya hal maalin shaqo gudaheed, haddii aad codsatayna, wuxuu kula soo xiriiraa si uu su'aalo kuu weydiiyo.
home-step-3 = Shaqaalaha bulshada ayaa raadiya qofka oo u fidiya caawimaad. Aqbalaaddeedu had iyo jeer waa doorashada qofka.

## About
about-title = Waa maxay LEAD, iyo waxa aanay ahayn
about-lead = LEAD waxay u taagan tahay Let Everyone Advance with Dignity ("Qof kasta ha horumaro isagoo sharaf leh"). Waxay ka bilaabatay Seattle sannadkii 2011, haddana waxaa lagu isticmaalaa in ka badan 80 bulsho. Minneapolis waxay ka bilaabatay 2022 agagaarka East Lake Street, waxaana martigeliya Pillsbury United Communities.
about-is-title = LEAD waa
about-is-1 = Maareynta kiisaska muddada dheer oo waddada lagu sameeyo, inta qofku doonayo.
about-is-2 = Yaraynta waxyeellada: in dadka lagala kulmo meesha ay joogaan, iyadoo aan laga rabin inay marka hore joojiyaan isticmaalka.
about-is-3 = Hab ay booliska, xeer-ilaalinta, qareennada difaaca, adeegyada caafimaadka iyo deriskuba ku wada shaqeeyaan halkii ay iska hor imaan lahaayeen.
about-is-4 = Jawaab loo helo baahiyaha aan la daboolin ee ka dambeeya xadgudubyada yaryar, sida wax laga qaato dukaamada, daroogo lagu isticmaalo musqulaha dadweynaha ama muddo dheer oo lagu jiro saldhigyada gaadiidka.
about-not-title = LEAD ma aha
about-not-1 = Adeeg degdeg ah. Haddii qof hadda khatar ku jiro, wac 911.
about-not-2 = Barnaamij maxkamadeed. Ma jirto ciqaab ama garsoore, mana aha shardi in qofka hore loo xiray.
about-not-3 = Barnaamij lagu fashilmi karo. Qofna lagama saaro isticmaalka, ballamo laga maqnaado ama muddo la maqnaado.
about-not-4 = Hab loo soo sheego dembiyada. Waxa ka qaybgalayaashu u sheegaan maareeyahooda kiiska waxay gaaraan booliska ama xeer-ilaalinta oo keliya inta uu ka qaybgaluhu qoraal ku oggolaado.
about-why-title = Sababta ay muhiim u tahay
about-why-body = Xabsiga iyo dacwad-oogistu ma caawin dadka ugu badan ee ku soo noqnoqda, waxayna sida ugu xun u saameeyeen deriska Madowga ah, dadka asalka ah (Indigenous) iyo soo-galootiga. LEAD waxay higsanaysaa inay mar qura horumariso amniga dadweynaha iyo caafimaadka dadweynaha, oo ay sinnaan la'aantaas ka saarto marka ugu horreysa ee xiriir la sameeyo.

## Who it is for
fits-title = Yaa LEAD loogu talagalay
fits-lead = LEAD waxay la shaqeysaa dadka buuxiya dhammaan saddexdan shuruudood:
fits-rule-place = Waxay ku nool yihiin, ama inta badan waqti ku qaataan, agagaarka East Lake Street (Lake Street laga bilaabo I-35W ilaa Webiga Mississippi).
fits-rule-age = Waxay jiraan 18 sano ama ka weyn.
fits-rule-need = Dhibaato sharci ayay la kulmeen, ama khatar bay ugu jiraan, sababo la xiriira isticmaalka maandooriyaha, xanuun maskaxeed ama saboolnimo daran.
fits-examples-title = Xaaladaha dadku inta badan noo sheegaan
fits-example-1 = In marar badan wax laga qaato dukaamada.
fits-example-2 = In daroogo lagu isticmaalo musqusha ganacsi.
fits-example-3 = In saacado badan lagu qaato saldhig gaadiid ama joogsiga baska.
fits-unsure = Ma hubtid inay ku habboon tahay? Si kastaba ha ahaatee qofka soo gudbi. Shaqaalaheenna ayaa go'aamiya jawaabta ku habboon, gudbin kastana waa faa'iido leh.
check-title = Is-hubin degdeg ah
check-intro = Saddex su'aalood oo kaa caawinaya inaad ka fikirto. Jawaabahaaga lama kaydiyo, marnaba kaama joojinayaan inaad qof soo gudbiso.
check-age = Qofku ma u muuqdaa inuu yahay 18 sano ama ka weyn?
check-place = Inta badan ma joogaa agagaarka East Lake Street?
check-need = Waxa dhacaya ma u muuqdaa inay la xiriiraan daroogada, caafimaadka maskaxda ama la'aanta wax ku filan oo lagu noolaado?
check-yes = Haa
check-no = Maya
check-unsure = Ma hubo
check-submit = Hubi
check-result-title = Waxa jawaabahaagu muujinayaan
check-result-fits = Tani waxay u egtahay xaaladda LEAD loogu talagalay. Fadlan qofka soo gudbi.
check-result-unsure = Waxay noqon kartaa mid ku habboon. Fadlan soo gudbi oo u daa shaqaalaheenna inay go'aamiyaan.
check-result-minor = LEAD waxay la shaqeysaa dadka waaweyn. Weli waad soo gudbin kartaa, waxaanan kuu tilmaami doonnaa adeegyada dhallinyarada.
check-result-elsewhere = LEAD waxay daboolaysaa East Lake Street oo keliya. Weli waad soo gudbin kartaa, waxaanan kuu sheegi doonnaa cidda caawin karta meesha uu qofku joogo.
check-result-need = LEAD waxaa loogu talagalay dhibaatooyinka ka yimaada baahiyo aan la daboolin. Weli waad soo gudbin kartaa, ama su'aal ayaad na weydiin kartaa.

## Governance
gov-title = Sida loo maamulo LEAD Minneapolis
gov-lead = LEAD waa hab-shaqo ay wadaagaan shuraako badan, ma aha hay'ad keliya. Saddex koox ayaa jidka ku haya.
gov-pcg-title = Kooxda Isku-dubbaridka Siyaasadda
gov-pcg-body = Hoggaamiyeyaal go'aan u gaari kara ururadooda: bixiyeyaasha adeegyada, hay'adaha nidaamka sharciga iyo caafimaadka, iyo masuuliyiinta la soo doortay. Waxay dejiyaan yoolalka iyo siyaasadda, sida eedaymaha loo leexin karo LEAD halkii maxkamad loo gudbin lahaa, waxayna ka shaqeeyaan maalgelinta, qiimaynta iyo mustaqbalka barnaamijka.
gov-owg-title = Kooxda Shaqada Hawl-galka
gov-owg-body = Dadka qabta shaqada maalinlaha ah: maareeyayaasha kiisaska, booliska, xeer-ilaaliye isku-xire ah, qareennada difaaca iyo bixiyeyaasha adeegga. Waxay kulmaan qiyaastii labadii toddobaadba mar si ay u xalliyaan dhibaatooyinka, isugu dubbaridaan arrimaha ka qaybgale kasta, una qoraan hab-raacyo raacaya go'aamada kooxda siyaasadda.
gov-clt-title = Kooxda Hoggaanka Bulshada
gov-clt-body = Deris siiya bulshada cod dhab ah oo ku saabsan sida LEAD loo qorsheeyo oo loo maamulo.
gov-pm-title = Maareeyaha mashruuca
gov-pm-body = Wuxuu isku dubbaridaa saddexda koox iyo shaqada maalinlaha ah, wuxuuna hubiyaa in barnaamijku ku dhego habka LEAD. Pillsbury United Communities ayaa martigelisa maareynta mashruuca iyo maareynta kiisaska.

## Reach
reach-title = Saacadaha iyo sida loola xiriiro qof shaqaale ah
reach-hours-title = Saacadaha
reach-hours-body = Isniinta ilaa Jimcaha, 9 AM ilaa 4 PM, waqtiga Central. Waa xiran yahay maalmaha fasaxa dadweynaha.
reach-phone-title = Taleefan iyo fariin qoraal ah
reach-phone-body = Wac ama fariin qoraal ah u dir { $phone }. Qofna si toos ah uma jawaabo: fariin ka tag, shaqaaluhuna way dhageysan doonaan inta lagu jiro saacadaha shaqada.
reach-promise-title = Goorta aad jawaab heli doonto
reach-promise-body = Waxaan isku daynaa inaan ka jawaabno gudbin kasta iyo su'aal kasta hal maalin shaqo gudaheed. Fariin laga tago Jimcaha fiidkii waxaa laga jawaabaa ka hor dhammaadka Isniinta.
reach-emergency-title = Xaaladaha degdegga ah
reach-emergency-body = LEAD ma aha gurmadka koowaad. Haddii qof hadda khatar ku jiro, wac 911.
reach-online-title = Onlayn
reach-online-body = Isticmaal foomka gudbinta si aad noogu sheegto qof, ama foomka xiriirka wax kasta oo kale.

## Privacy
privacy-title = Ogeysiiska ilaalinta xogta
privacy-lead = Waxaan weydiinnaa wax intii suurtagal ah u yar, waxaanan ilaalinnaa waxa aad na siiso.
privacy-collect-title = Waxa aan ururinno
privacy-collect-body = Waxa aad ku qorto foomamkayaga, waqtiga aad dirtay iyo luqadda aad isticmaashay. Cinwaanka shabakadda (network address) ee dir kasta waxaan hayn muddo gaaban oo keliya, si aan uga hortagno si xun u isticmaalid.
privacy-use-title = Sida aan u isticmaalno
privacy-use-body = Maareeyayaasha kiisasku waxay gudbinta u isticmaalaan inay helaan qofka oo ay caawimaad u fidiyaan, iyo inay kula soo xiriiraan haddii aad na weydiisatay. Ma iibinno xog, ma muujinno xayeysiis, gudbinahana uma dhiibno booliska.
privacy-who-title = Cidda arki karta
privacy-who-body = Shaqaalaha LEAD ee shaqadoodu u baahan tahay oo keliya. Mar kasta oo qof furo diiwaanka qof kale, waa la diiwaangeliyaa.
privacy-tracking-title = Dabagal ma jiro
privacy-tracking-body = Boggani waxba kama soo raro shirkado kale: falanqayn ma jirto, xayeysiis ma jiro, farta (fonts) dibadda ah ma jirto. Cookies-ka keliya ee uu dhigo waxay xasuustaan luqaddaada, waxayna foomamka ka ilaaliyaan si xun u isticmaalid.
privacy-rights-title = Doorashooyinkaaga
privacy-rights-body = Waad soo gudbin kartaa qof adigoon bixin magacaaga. Si aad u weydiiso waxa aan kaa hayno, ama in la saxo, isticmaal foomka xiriirka ama wac { $phone }.

## Referral form
refer-title = Soo gudbi qof
refer-lead = Nooga warran qof ku sugan East Lake Street oo LEAD caawin karto. Uma baahnid magaca qofka: sida uu u eg yahay iyo meesha aad ku aragto ayaa inta badan ku filan.
refer-emergency = Haddii qof hadda khatar ku jiro, taa beddelkeeda wac 911.
refer-required-note = Laba shay oo keliya ayaa khasab ah: wax qofka lagu garto, iyo meesha laga raadin karo. Wax kasta oo kale waa caawimaad, laakiin waa ikhtiyaari.
required = waa khasab
optional = ikhtiyaari
refer-you-title = Adiga ku saabsan
refer-you-type = Yaad tahay?
referrer-resident = Qof ku nool aagga
referrer-business = Milkiile ama shaqaale ganacsi
referrer-visitor = Booqde
referrer-provider = Bixiye adeeg
referrer-other = Qof kale
refer-you-name = Magacaaga
refer-you-phone = Taleefankaaga
refer-you-email = Email-kaaga
refer-you-followup = Maareeye kiis ma kula soo xiriiri karaa si uu su'aalo kuu weydiiyo?
refer-you-followup-yes = Haa, fadlan ila soo xiriir
refer-you-followup-no = Maya, ha ila soo xiriirin
refer-you-contact-hint = Haddii aad jeclaan lahayd inaan kula soo xiriirno, na sii lambar taleefan ama cinwaan email.
refer-person-title = Qofka ku saabsan
refer-person-describe = Na sii magac ama naanays, ama ugu yaraan hal tilmaan oo ku saabsan sida qofku u eg yahay.
refer-person-name = Magac ama naanays, haddii aad taqaanid
refer-person-age = Da'da oo qiyaas ah
age-unknown = Ma aqaan
age-under-18 = Ka yar 18
age-18-25 = 18 ilaa 25
age-26-35 = 26 ilaa 35
age-36-50 = 36 ilaa 50
age-51-65 = 51 ilaa 65
age-over-65 = Ka weyn 65
refer-person-gender = Jinsiga, sida aad adigu u sharxi lahayd
refer-person-build = Dhererka iyo qaab-dhismeedka jirka
refer-person-hair = Timaha
refer-person-features = Dharka iyo wax kasta oo lagu garto
refer-person-features-hint = Tusaale ahaan: boorso dhabarka oo casaan ah, ul lagu tiirsado, tattoo gacanta ku yaal, inta badan baaskiil wata.
refer-where-title = Meesha iyo goorta aad aragto
refer-places = Meelaha
refer-places-hint = Dooro kuwa khuseeya oo dhan, ama meesha ku sharax sanduuqa hoose.
refer-places-other = Meelo kale
refer-times = Waqtiyada maalinta
time-morning = Subax
time-midday = Duhur
time-afternoon = Galab
time-evening = Fiid
time-night = Habeen
refer-times-other = Maalmaha iyo waqtiyada, erayadaada
refer-concern-title = Waxa dhacaya
refer-concern-kinds = Maxaad aragtay?
concern-shoplifting = Wax laga qaato dukaamada
concern-bathroom = Daroogo lagu isticmaalo musqul
concern-transit = Saacado badan oo lagu qaato joogsiyada ama saldhigyada gaadiidka
concern-other = Wax kale
refer-concern-text = Wax badan noo sheeg
refer-safety = Ma jiraan wax ay shaqaalaha bulshadu u baahan yihiin inay ogaadaan si ay nabad ugu ahaadaan?
refer-submit = Dir gudbinta
refer-privacy-note = Tan waxaan u isticmaalnaa oo keliya inaan caawimaad bixino. Akhri ogeysiiska ilaalinta xogta.

## Referral confirmation
refer-done-title = Mahadsanid, gudbintaada waa la helay
refer-done-code = Koodhkaaga tixraaca
refer-done-code-hint = Sheeg koodhkan haddii aad na soo wacdo ama noo soo qorto wax ku saabsan gudbintan.
refer-done-next-title = Waxa xiga
refer-done-followup = Maareeye kiis ayaa kula soo xiriiri doona ugu dambayn { $due }.
refer-done-no-followup = Waxaad na weydiisatay inaanan kula soo xiriirin. Hase yeeshee maareeye kiis ayaa akhrin doona gudbintaada ugu dambayn { $due }.
refer-done-outreach = Shaqaalaha bulshada ayaa raadin doona qofka oo u fidin doona caawimaad. Aqbalitaankeedu had iyo jeer waa doorashada qofka.
refer-done-another = Soo gudbi qof kale

## Contact form
contact-title = Nala soo xiriir
contact-lead = Su'aalo ku saabsan LEAD, ra'yi, ama wax kasta oo aan ahayn gudbin. Waxaan ku jawaabnaa hal maalin shaqo gudaheed.
contact-name = Magacaaga
contact-reach = Taleefan ama email
contact-reach-hint = Si aan kuugu jawaabno.
contact-message = Fariintaada
contact-language = Luqadda aad jeceshahay inaan kugu jawaabno
contact-language-other = Luqad kale
contact-submit = Dir fariinta
contact-done-title = Mahadsanid, fariintaada waa la helay
contact-done-body = Waxaan kuu jawaabi doonnaa ugu dambayn { $due }.
contact-done-code = Koodhkaaga tixraaca

## Dates (used as "by { $due }")
date-time = { $weekday }, { $day } { $month }, saacadda { $time }
time-am = { $hour }:{ $minute } AM
time-pm = { $hour }:{ $minute } PM
weekday-1 = Isniin
weekday-2 = Talaado
weekday-3 = Arbaco
weekday-4 = Khamiis
weekday-5 = Jimce
weekday-6 = Sabti
weekday-7 = Axad
month-1 = Janaayo
month-2 = Febraayo
month-3 = Maarso
month-4 = Abriil
month-5 = Maajo
month-6 = Juun
month-7 = Luulyo
month-8 = Agoosto
month-9 = Sebtembar
month-10 = Oktoobar
month-11 = Nofembar
month-12 = Desembar

## Form messages
form-has-errors = Fadlan hubi meelaha hoos lagu calaamadeeyay. Wax kasta oo aad qortay weli halkan way ku jiraan.
error-required = Fadlan buuxi tan.
error-too-long = Fadlan tan ka dhig { $max } xaraf ama ka yar.
error-choice = Fadlan dooro mid ka mid ah doorashooyinka.
error-phone = Fadlan geli lambar taleefan Maraykan ah oo leh koodhka aagga, sida 612-555-0123.
error-email = Fadlan geli cinwaan email ah, sida magac@example.org.
error-reach = Fadlan na sii lambar taleefan ama cinwaan email.
error-followup-contact = Si laguula soo xiriiro, fadlan na sii lambar taleefan ama cinwaan email, ama dooro "Maya, ha ila soo xiriirin".
error-person = Fadlan na sii magac, naanays ama sharaxaad gaaban oo qofka ah.
error-where = Fadlan dooro meel ama sharax meesha aad ku aragto qofka.
honeypot-label = Meeshan bannaan u daa
error-honeypot = Fadlan foomka mar kale dir.
error-too-fast = Taasi aad bay u dhakhso badnayd. Fadlan hubi foomka oo mar kale dir.
error-expired = Boggani muddo dheer ayuu furnaa. Fadlan hubi foomka oo mar kale dir.
error-csrf = Ma xaqiijin karin in foomkani ka yimid boggayaga. Fadlan mar kale dir.
error-save-failed = Foomkaaga hadda ma aanan kaydin karin. Wax kasta oo aad qortay weli halkan way ku jiraan: fadlan mar kale dir daqiiqad kadib, ama wac { $phone }.
error-rate-limited = Foomam aad u badan ayaa laga soo diray xiriirkaaga. Fadlan sug { $minutes } daqiiqo oo mar kale isku day, ama wac { $phone }.

## Error pages
error-title-prefix = Khalad
error-not-found-title = Bogga lama helin
error-not-found-body = Ma aanan helin boggaas.
error-too-large-title = Qoraal aad u badan
error-too-large-body = Waxa aad soo dirtay aad ayuu u weyn yahay oo ma aqbali karno. Fadlan gaabi oo mar kale isku day.
error-bad-request-title = Codsigaas wax baa ka khaldanaa
error-bad-request-body = Fadlan dib u noqo oo mar kale isku day.
error-unauthorized-title = Fadlan gal
error-unauthorized-body = Ma aadan gelin, ama fadhigaagii wuu dhammaaday. Mar kale gal si aad u sii wadato.
error-forbidden-title = Lama oggola
error-forbidden-body = Doorkaagu ma oggola tan. Haddii shaqadaadu u baahan tahay, weydii maareeyahaaga mashruuca.
error-internal-title = Wax baa ka khaldamay dhinacayaga
error-internal-body = Adiga sabab uma tihid. Fadlan mar kale isku day dhowr daqiiqo kadib, ama wac { $phone }.
error-back-home = Ku noqo bogga hore

# Referral status and the acknowledgement email (issue 4)
refer-status-label = Halka ay marayso
refer-status-received = Waa la helay. Qofna weli ma qaadan.
refer-status-being-worked = Maareeye kiis ayaa ka shaqeynaya.
refer-status-closed = Waa la xiray. Waad ku mahadsan tahay inaad noo sheegtay.
email-ack-subject = Gudbintaada { $code } ee LEAD
email-ack-body =
    Waad ku mahadsan tahay gudbintaada. Maareeye kiis ayaa akhriyay oo ka shaqeynaya.
    Koodhkaaga tixraaca waa { $code }. Si aan u ilaalino qofka aad noo sheegtay, ma wadaagno waxa xiga, laakiin halkan waxaad ka arki kartaa in gudbinta la helay, laga shaqeynayo ama la xiray: { $link }
    LEAD ma aha adeeg degdeg ah. Xaalad degdeg ah, wac 911.

# Printed consent form (issue 6): release of information under 42 CFR 2.31, written in the first person.
# Draft (machine-assisted, 2026-12-02) for community review; must also be checked against the English
# by someone who knows 42 CFR Part 2 consent requirements. $site is the program's name.
consent-form-title = Oggolaansho in la wadaago xog igu saabsan
consent-form-intro = Foomkani wuxuu u oggolaanayaa { $site } inay xog qaar oo kugu saabsan la wadaagto hal urur oo keliya, oo loogu talagalay hal ujeeddo oo keliya. Waa doorashadaada. Haddii aad tiraahdo maya, taasi ma beddesho caawimaadda aad naga hesho.
consent-form-name = Magacayga
consent-form-discloser = Cidda wadaagi karta xogta
consent-form-recipient = Cidda heli karta (hal urur oo keliya)
consent-form-covers = Waxa la wadaagi karo (waxa la calaamadeeyay oo keliya)
consent-form-cover-participation = Inaan ka qaybgalo { $site }, iyo goorta aan bilaabay
consent-form-cover-case-manager = Cidda maareeyahayga kiisku yahay, iyo sida loola xiriiro
consent-form-cover-progress = Inta jeer ee aan la xiriiro maareeyahayga kiiska, iyo goorta ugu dambaysay
consent-form-cover-barriers = Qoraallo guud oo ku saabsan waxa i caawinaya iyo waxa i hor istaagaya
consent-form-never = Foomkan laguma wadaago wax ku saabsan caafimaadkayga, caafimaadka maskaxdayda, ama isticmaalkayga khamriga ama daroogada.
consent-form-purpose = Sababta loo wadaagi karo
consent-form-expires = Oggolaanshahani wuxuu ku dhammaanayaa taariikhdan, haddii aanan ka noqon intaas ka hor
consent-form-revoke = Waqti kasta waan ka noqon karaa oggolaanshahan, anigoo u sheegaya maareeyahayga kiiska ama qof kasta oo ka tirsan { $site }, fool ka fool, taleefan ama qoraal ahaan. Marka aan ka noqdo, wadaag kasta wuu joogsanayaa laga bilaabo markaas. Laakiin ka noqoshadu ma celin karto wixii hore loo wadaagay.
consent-form-no-condition = Waajib igama aha inaan saxiixo foomkan. { $site } way ila sii shaqaynaysaa, haddii aan saxiixo iyo haddii aanan saxiixinba.
consent-form-redisclosure = Marka xogta la wadaago kadib, ururka hela waxaa laga yaabaa inuu mar kale wadaago, xeerarka ilaalinta xogta ee halkan ku ilaaliyana waxaa laga yaabaa inaanay halkaas ku ilaalin.
consent-form-signature = Saxiixayga
consent-form-date = Taariikhda aan saxiixay
consent-form-staff = Qofka shaqaalaha ah ee foomkan ila dul maray
consent-form-copy = Waxaan haysan karaa nuqul foomkan ah.

## Data & Results (/data)
nav-data = Xogta iyo natiijooyinka
data-title = Xogta iyo natiijooyinka
data-lead = Waxa LEAD qabatay tan iyo markii ay bilaabatay { $start }, oo mar kasta si isku mid ah loo tiriyay. Tirooyinka yaryar lama muujiyo, si aan qofna looga aqoonsan karin.
data-as-of = Ilaa { $date }
data-period = Waxaa la tiriyay laga bilaabo { $start } ilaa dhammaadka maalinta { $date }.
data-counter-enrolled = Macaamiisha la diiwaangeliyay
data-counter-contacts = Xiriirada macaamiisha
data-counter-referrals = Gudbinada la helay
data-as-of-label = Muuji tirooyinka ilaa maalin kale
data-as-of-hint = Maalin u dhaxaysa { $start } iyo maanta, oo loo qoray YYYY-MM-DD (sanad-bil-maalin).
data-as-of-button = Muuji
data-error-malformed = Taariikhda u qor YYYY-MM-DD, tusaale ahaan 2024-03-25.
data-error-before-start = Barnaamijku wuxuu bilaabmay { $start }. Dooro maalintaas ama mid ka dambaysa.
data-error-future = Tirooyinka waxaa la yaqaan oo keliya ilaa maanta, { $today }.
data-fewer = ka yar 11
data-hidden = lama muujin
data-suppression-note = "Ka yar 11" waxay ka dhigan tahay inta u dhaxaysa 1 iyo 10 qof. "Lama muujin" waxay calaamad u tahay tiro laga reebay si aan tiro yar oo ag taal loogu ogaan karin kala jarid. Xiriiradu waa dhacdooyin, ma aha dad, sidaas darteed had iyo jeer waa la muujiyaa.
data-chart-note = Jaantus tiirar ah. Isla tirooyinkaas waxay ku jiraan shaxda ka hoosaysa.
data-chart-suppressed = Tiirarka xarriiqda go'go'an leh waa bilaha ay tiradu ka yar tahay 11, ama aan la muujin.
data-empty = Muddadan weli wax lama diiwaangelin.
data-referrals-title = Gudbinada bil kasta
data-referrals-by-door = Gudbinada, iyadoo loo eegayo halka ay ka yimaadeen
data-contacts-title = Xiriirada macaamiisha bil kasta
data-enrolments-title = Diiwaangelinta bil kasta
data-sources-title = Cidda sameysay gudbinada bulshada
data-wait-title = Waqtiga u dhexeeya gudbinta iyo kulanka koowaad
data-wait-lead = Gudbin kasta oo keentay diiwaangelin: maalmaha u dhexeeya gudbinta iyo markii ugu horreysay ee maareeye kiis la kulmay qofka.
data-wait-median = Kala badh dadkan waxaa lala kulmay { $days } maalmood gudahood laga bilaabo gudbintooda.
data-wait-few = Dad aad u yar ayaa weli lala kulmay, sidaas darteed weli lama sheegi karo waqtiga sugitaanka caadiga ah.
data-equity-title = Isirka iyo qowmiyadda
data-equity-lead = LEAD waxay higsanaysaa inay meesha ka saarto sinnaan la'aanta isirka ee ka jirta albaabka hore ee nidaamka sharciga. Dadku iyagaa sharxa isirkooda iyo qowmiyaddooda marka ay is-diiwaangeliyaan; qof kasta waxaa lagu tiriyaa hal koox oo keliya, sida tirakoobka dadweynaha (census) u sameeyo.
data-equity-population = Dadka ku nool { $area }
data-equity-source = Halka laga soo qaatay tirada dadka: { $source }.
data-equity-draft = Tirooyinka dadku waa qabyo, weli lama barbar dhigin halka laga soo qaatay.
data-equity-no-population = Weli lama gelin tirooyinka dadka ee goobtan.
data-equity-housed = Hoy haysta, sida xaaladdii ugu dambaysay
data-equity-housed-note = Hoy haysta: ka qaybgalayaasha xaaladdooda bishii ugu dambaysay la yaqaan, inta ku nool hoy joogto ah. Waxaa la muujiyaa oo keliya marka labadaba, kuwa hoyga haysta iyo kuwa aan haysan, ay tiradoodu tahay 11 ama ka badan.
data-not-counted = halka laga soo qaatay ma tirin
data-col-month = Bisha
data-col-door = Halka ay ka yimaadeen
data-col-source = Cidda soo gudbisay
data-col-wait = Waqtiga
data-col-group = Kooxda
data-col-count = Tirada
data-col-total = Wadarta
data-col-referrals = Gudbinada
data-col-enrolled = La diiwaangeliyay
data-download = Soo deji shaxdan (CSV)
data-json = Dhammaan tirooyinkan oo JSON ah
data-definitions = Sida tiro kasta loo tiriyo
data-definitions-version = Nooca qeexitaannada: { $version }.
data-print = Si aad u daabacdo, isticmaal amarka daabacaadda ee browser-kaaga: boggu wuxuu ku daabacmayaa liisaska la'aantood.
door-community = Bulshada
door-social_contact = Booliska, xiriir bulsho
door-arrest_diversion = Booliska, leexin halkii xarig
door-self = Qofka ayaa is soo gudbiyay
door-provider = Bixiye adeeg
source-resident = Dadka deegaanka
source-business = Ganacsiyada
source-visitor = Booqdayaasha
source-community_provider = Bixiyeyaasha adeegga
source-other_community = Kuwo kale
wait-0_1 = Isla maalinta ama maalinta xigta
wait-2_7 = 2 ilaa 7 maalmood
wait-8_14 = 8 ilaa 14 maalmood
wait-15_30 = 15 ilaa 30 maalmood
wait-over_30 = In ka badan 30 maalmood
group-hispanic_latinaeo = Hisbaanik/Laatiino (Hispanic/Latina/e/o)
group-am_ind_ak_native = Hindida Maraykanka, dadka asalka ah ee Alaska, ama dadka asalka ah (Indigenous)
group-asian = Aasiyaan ama Aasiyaan Maraykan ah
group-black_af_american = Madow, Maraykan Afrikaan ah, ama Afrikaan
group-mid_east_n_african = Ka soo jeeda Bariga Dhexe ama Waqooyiga Afrika
group-native_hi_pacific = Dadka asalka ah ee Hawaay ama Jasiiradaha Baasifigga
group-white = Cadaan
group-more_than_one = In ka badan hal isir
group-not_known = Lama yaqaan
data-published-title = Rubucyada la soo saaray
data-published-lead = Rubuc kasta (saddexdii biloodba mar), barnaamijku wuxuu soo saaraa tirooyinkiisa sidii ay ahaayeen maalinta ugu dambaysa ee rubuca. Tirooyinka la soo saaray waxaa loo hayaa sidii ay ahaayeen iyadoon waxba laga beddelin, xitaa haddii diiwaannada goor dambe la saxo.
data-published-none = Weli rubuc lama soo saarin.
data-published-col-quarter = Rubuca
data-published-col-on = La soo saaray
data-published-frozen = Kuwani waa tirooyinka { $quarter }, sidii loo soo saaray { $date }, oo lagu tiriyay nooca qeexitaannada { $version }. Weligood ma beddelmaan. Tirooyinka hadda jira waxay ku yaallaan bogga Xogta iyo natiijooyinka.
data-published-live = Eeg tirooyinka hadda jira

## Community feedback on referrals (/feedback)
feedback-title = Sidee ayay u socotay gudbintaadu?
feedback-lead = Haddii aad qof u soo gudbisay LEAD, noo sheeg sida ay u socotay. Kooxda Hoggaanka Bulshada, oo ah deris gacan ka geysta hagidda LEAD, waxay la socotaa waxa dadku halkan ku sheegaan.
feedback-privacy = Fadlan ha qorin magaca qofna, ama wax lagu garan karo cidda uu qofku yahay. Magacaaga sidoo kale ma weydiinno. Maareeyaha mashruuca ayaa marka hore akhriya faallo kasta. Wuxuu la wadaagaa kooxda oo keliya kadib marka uu ka saaro faahfaahin kasta oo qof lagu garan karo.
feedback-code = Koodhkaaga tixraaca, haddii aad haysid
feedback-code-hint = Wuxuu ku qornaa bogga aad aragtay kadib markii aad dirtay gudbinta, tusaale ahaan K7QM-4Z2P. Koodhkan ayuu maareeyaha mashruucu ku garan karaa gudbinta aad ka hadlayso. Haddii aadan doonayn inaad sheegto, meeshan bannaan u daa.
feedback-respondent-unsaid = Waxaan doorbidayaa inaanan sheegin
feedback-answered = Qof ka tirsan LEAD ma kula soo xiriiray?
feedback-answered-in_time = Haa, hal maalin shaqo gudaheed
feedback-answered-later = Haa, laakiin muddadaas ka dib
feedback-answered-not_yet = Maya, weli qofna ilama soo xiriirin
feedback-answered-not_asked = Waxaan idin weydiistay inaydaan ila soo xiriirin
feedback-rating = Sidee ayay LEAD u maareysay gudbintaada?
feedback-rating-very_well = Si aad u fiican
feedback-rating-well = Si fiican
feedback-rating-not_well = Si aan fiicnayn
feedback-rating-poorly = Si xun
feedback-comment = Wax kasta oo aad jeclaan lahayd in kooxdu ogaato
feedback-comment-hint = Ikhtiyaari: waxa si fiican u socday, iyo waxa la hagaajin karo.
feedback-answer-note = Ra'yiga kama jawaabi karno. Haddii aad u baahan tahay jawaab, isticmaal foomka xiriirka.
feedback-submit = Dir ra'yigaaga
feedback-done-title = Waad ku mahadsan tahay ra'yigaaga
feedback-done-body = Waan helnay. Bil kasta, Kooxda Hoggaanka Bulshada waxay aragtaa, tirooyin ahaan, sida gudbinadu u socdeen, iyo faallooyinka uu maareeyaha mashruucu la wadaagay.
refer-done-feedback = Goor dambe, noo sheeg sida ay gudbintaadu u socotay
gov-clt-feedback = Noo sheeg sida ay gudbintaadu u socotay
error-unknown-code = Ma hayno gudbin leh koodhkan. Hubi koodhka, ama meeshan bannaan u daa.
