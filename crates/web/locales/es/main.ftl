# leadhub public site: Spanish (machine-assisted draft translated from en; needs review by native speakers).
# Every key here must exist in es, so and hmn (a test fails otherwise).
# Placeables: $site (site name), $phone, $area, $code, $due, $max, $minutes.

## Language names, always written in their own language
lang-en = English
lang-es = Español
lang-so = Soomaali
lang-hmn = Hmoob
language-switch = Idioma

## Frame
skip-to-content = Saltar al contenido principal
site-tagline = Atención y coordinación en lugar de cárcel
nav-home = Inicio
nav-about = Qué es LEAD
nav-fits = Para quién es
nav-refer = Hacer un referido
nav-contact = Contáctenos
nav-reach = Horario y teléfono
nav-governance = Cómo nos organizamos
nav-privacy = Privacidad
nav-menu = Menú
emergency-banner = En caso de emergencia, llame al 911. LEAD no es un servicio de emergencias.
footer-about = LEAD Minneapolis atiende el corredor de East Lake Street.
footer-hours = El personal lee los mensajes de lunes a viernes, de 9 a. m. a 4 p. m. (hora del centro).
demo-banner = Sitio de demostración: todo lo que aparece aquí es inventado.

## Home
home-title = Ayuda para los vecinos, no arrestos
home-lead = LEAD pone en contacto a personas de East Lake Street que, por sus dificultades con las drogas, la salud mental o la pobreza, tienen problemas con la ley una y otra vez, con un administrador de casos que las acompaña durante todo el tiempo que deseen recibir ayuda.
home-refer-button = Referir a alguien
home-contact-button = Hacer una pregunta
home-card-what-title = Qué hace LEAD
home-card-what-body = Los administradores de casos van al encuentro de las personas allí donde están, en la calle, y trabajan con ellas en vivienda, salud, ingresos y cualquier otra cosa que ellas elijan. No hay sanciones y a nadie se le saca del programa.
home-card-who-title = A quién se puede referir
home-card-who-body = Personas adultas que viven o pasan tiempo cerca de East Lake Street y cuyos problemas con la ley vienen de necesidades no atendidas. ¿Tiene dudas? Haga el referido de todos modos y nosotros lo vemos.
home-card-reach-title = Cómo hablar con alguien del equipo
home-card-reach-body = Llame o envíe un mensaje de texto al { $phone }. Es una línea de buzón de voz que revisamos de lunes a viernes, y procuramos responder en un plazo de un día hábil.
home-steps-title = Qué pasa después de que usted refiere a alguien
home-step-1 = Usted nos cuenta lo que sabe: un nombre, si lo tiene, o simplemente cómo es la persona y dónde la ve.
home-step-2 = Un administrador de casos lo lee en un plazo de un día hábil y, si usted lo pidió, se comunica con usted para hacerle preguntas.
home-step-3 = Los trabajadores de alcance comunitario buscan a la persona y le ofrecen ayuda. Aceptarla siempre es decisión de ella.

## About
about-title = Qué es LEAD y qué no es
about-lead = LEAD son las siglas en inglés de Let Everyone Advance with Dignity ("Que todos avancen con dignidad"). Comenzó en Seattle en 2011 y hoy se usa en más de 80 comunidades. En Minneapolis comenzó en 2022 en el corredor de East Lake Street, a cargo de Pillsbury United Communities.
about-is-title = LEAD es
about-is-1 = Administración de casos a largo plazo en la calle, durante todo el tiempo que la persona lo desee.
about-is-2 = Reducción de daños: acompañar a las personas en la situación en que se encuentran, sin exigirles que primero dejen de consumir.
about-is-3 = Una forma de que la policía, la fiscalía, la defensa, los servicios de salud y los vecinos trabajen juntos en lugar de unos contra otros.
about-is-4 = Una respuesta a las necesidades no atendidas que hay detrás de infracciones menores, como tomar cosas de las tiendas, consumir drogas en baños públicos o permanecer mucho tiempo en estaciones de transporte.
about-not-title = LEAD no es
about-not-1 = Un servicio de emergencias. Si alguien está en peligro ahora, llame al 911.
about-not-2 = Un programa judicial. No hay sanciones ni juez, y no es necesario haber sido arrestado.
about-not-3 = Un programa en el que se pueda fracasar. A nadie se le da de baja por consumir, por faltar a citas o por ausentarse un tiempo.
about-not-4 = Una forma de denunciar delitos. Lo que los participantes le cuentan a su administrador de casos llega a la policía o a la fiscalía solo en la medida en que el participante lo autorice por escrito.
about-why-title = Por qué es importante
about-why-body = La cárcel y los procesos judiciales no han ayudado a las personas que pasan por ellos con más frecuencia, y han afectado sobre todo a los vecinos negros, indígenas e inmigrantes. LEAD busca mejorar a la vez la seguridad pública y la salud pública, y corregir esas desigualdades desde el primer contacto.

## Who it is for
fits-title = Para quién es LEAD
fits-lead = LEAD trabaja con personas que cumplen estas tres condiciones:
fits-rule-place = Viven en el corredor de East Lake Street, o pasan tiempo ahí con frecuencia (Lake Street desde la I-35W hasta el río Mississippi).
fits-rule-age = Tienen 18 años o más.
fits-rule-need = Han tenido problemas con la ley, o corren el riesgo de tenerlos, por el consumo de sustancias, una enfermedad mental o la pobreza extrema.
fits-examples-title = Situaciones que la gente nos cuenta a menudo
fits-example-1 = Tomar cosas de las tiendas una y otra vez.
fits-example-2 = Consumir drogas en el baño de un negocio.
fits-example-3 = Pasar muchas horas en una estación de transporte o en una parada de autobús.
fits-unsure = ¿No sabe si es el caso? Refiera a la persona de todos modos. Nuestro personal decide cuál es la respuesta adecuada, y ningún referido se desperdicia.
check-title = Verificación rápida
check-intro = Tres preguntas para ayudarle a pensarlo. Sus respuestas no se guardan y nunca le impiden hacer un referido.
check-age = ¿La persona parece tener 18 años o más?
check-place = ¿Está a menudo cerca de East Lake Street?
check-need = ¿Lo que está pasando parece tener que ver con las drogas, la salud mental o no tener lo suficiente para vivir?
check-yes = Sí
check-no = No
check-unsure = No sé
check-submit = Verificar
check-result-title = Lo que sugieren sus respuestas
check-result-fits = Parece el tipo de situación para la que existe LEAD. Por favor, haga un referido.
check-result-unsure = Puede que sea el caso. Por favor, haga un referido y deje que nuestro personal decida.
check-result-minor = LEAD trabaja con personas adultas. Aun así, puede enviar un referido y le indicaremos servicios para jóvenes.
check-result-elsewhere = LEAD atiende solo East Lake Street. Aun así, puede enviar un referido y le sugeriremos quién puede ayudar en el lugar donde está la persona.
check-result-need = LEAD es para problemas que vienen de necesidades no atendidas. Aun así, puede enviar un referido o hacernos una pregunta.

## Governance
gov-title = Cómo funciona LEAD Minneapolis
gov-lead = LEAD es un modelo de trabajo compartido por muchas organizaciones aliadas, no una sola agencia. Tres grupos se aseguran de que vaya por buen camino.
gov-pcg-title = Grupo de Coordinación de Políticas
gov-pcg-body = Líderes que pueden tomar decisiones en nombre de sus organizaciones: proveedores de servicios, agencias del sistema legal y de salud, y funcionarios electos. Fijan las metas y las políticas, por ejemplo qué cargos pueden derivarse a LEAD en lugar de seguir el proceso judicial, y se ocupan del financiamiento, la evaluación y el futuro del programa.
gov-owg-title = Grupo de Trabajo Operativo
gov-owg-body = Las personas que hacen el trabajo diario: administradores de casos, policía, un fiscal de enlace, defensores y proveedores. Se reúnen más o menos cada dos semanas para resolver problemas, coordinarse en torno a cada participante y redactar protocolos que siguen las decisiones del grupo de políticas.
gov-clt-title = Equipo de Liderazgo Comunitario
gov-clt-body = Vecinos que le dan a la comunidad una voz real en cómo se planifica y se lleva a cabo LEAD.
gov-pm-title = Gerente de proyecto
gov-pm-body = Coordina los tres grupos y el trabajo del día a día, y se asegura de que el programa sea fiel al modelo LEAD. Pillsbury United Communities se encarga de la gestión del proyecto y de la administración de casos.

## Reach
reach-title = Horario y cómo hablar con alguien del equipo
reach-hours-title = Horario
reach-hours-body = De lunes a viernes, de 9 a. m. a 4 p. m., hora del centro. Cerrado los días feriados.
reach-phone-title = Teléfono y mensajes de texto
reach-phone-body = Llame o envíe un mensaje de texto al { $phone }. Nadie contesta en el momento: deje un mensaje y el personal lo escuchará en horario de atención.
reach-promise-title = Cuándo recibirá respuesta
reach-promise-body = Procuramos responder cada referido y cada pregunta en un plazo de un día hábil. Un mensaje que se deja el viernes por la noche se responde antes de que termine el lunes.
reach-emergency-title = Emergencias
reach-emergency-body = LEAD no es un servicio de primera respuesta. Si alguien está en peligro en este momento, llame al 911.
reach-online-title = En línea
reach-online-body = Use el formulario de referido para hablarnos de una persona, o el formulario de contacto para cualquier otra cosa.

## Privacy
privacy-title = Aviso de privacidad
privacy-lead = Pedimos lo menos posible y protegemos lo que usted nos da.
privacy-collect-title = Qué recopilamos
privacy-collect-body = Lo que usted escribe en nuestros formularios, la hora en que lo envió y el idioma que usó. Guardamos la dirección de red de cada envío solo por poco tiempo, para evitar abusos.
privacy-use-title = Cómo lo usamos
privacy-use-body = Los administradores de casos usan el referido para encontrar a la persona y ofrecerle ayuda, y para comunicarse con usted si usted lo pidió. No vendemos datos ni mostramos anuncios, y no entregamos los referidos a la policía.
privacy-who-title = Quién puede verlo
privacy-who-body = Solo el personal de LEAD que lo necesita para su trabajo. Cada vez que alguien abre el expediente de una persona, queda registrado.
privacy-tracking-title = Sin rastreo
privacy-tracking-body = Este sitio no carga nada de otras empresas: ni analíticas, ni publicidad, ni fuentes externas. Las únicas cookies que usa recuerdan su idioma y protegen los formularios contra el mal uso.
privacy-rights-title = Sus opciones
privacy-rights-body = Puede referir a alguien sin dar su propio nombre. Para preguntar qué información tenemos sobre usted, o para corregirla, use el formulario de contacto o llame al { $phone }.

## Referral form
refer-title = Hacer un referido
refer-lead = Cuéntenos sobre alguien en East Lake Street a quien LEAD podría ayudar. No necesita saber su nombre: muchas veces basta con describir a la persona y decir dónde la ve.
refer-emergency = Si alguien está en peligro en este momento, mejor llame al 911.
refer-required-note = Solo hay dos datos obligatorios: algo que describa a la persona y dónde buscarla. Todo lo demás ayuda, pero es opcional.
required = obligatorio
optional = opcional
refer-you-title = Sobre usted
refer-you-type = ¿Quién es usted?
referrer-resident = Alguien que vive en la zona
referrer-business = Alguien que tiene un negocio o trabaja en uno
referrer-visitor = Alguien que está de visita
referrer-provider = Un proveedor de servicios
referrer-other = Otra persona
refer-you-name = Su nombre
refer-you-phone = Su teléfono
refer-you-email = Su correo electrónico
refer-you-followup = ¿Puede un administrador de casos comunicarse con usted si tiene preguntas?
refer-you-followup-yes = Sí, por favor comuníquense conmigo
refer-you-followup-no = No, no se comuniquen conmigo
refer-you-contact-hint = Si quiere que nos comuniquemos con usted, díganos un número de teléfono o un correo electrónico.
refer-person-title = Sobre la persona
refer-person-describe = Díganos un nombre o apodo, o al menos un detalle de cómo es la persona.
refer-person-name = Nombre o apodo, si lo sabe
refer-person-age = Edad aproximada
age-unknown = No sé
age-under-18 = Menos de 18
age-18-25 = De 18 a 25
age-26-35 = De 26 a 35
age-36-50 = De 36 a 50
age-51-65 = De 51 a 65
age-over-65 = Más de 65
refer-person-gender = Género, como usted lo describiría
refer-person-build = Estatura y complexión
refer-person-hair = Cabello
refer-person-features = Ropa y cualquier rasgo que la distinga
refer-person-features-hint = Por ejemplo: una mochila roja, un bastón, un tatuaje en la mano, suele andar con una bicicleta.
refer-where-title = Dónde y cuándo la ve
refer-places = Lugares
refer-places-hint = Elija todos los que correspondan o describa el lugar en el cuadro de abajo.
refer-places-other = Otros lugares
refer-times = Momentos del día
time-morning = Mañana
time-midday = Mediodía
time-afternoon = Tarde
time-evening = Anochecer
time-night = Noche
refer-times-other = Días y horas, en sus propias palabras
refer-concern-title = Qué está pasando
refer-concern-kinds = ¿Qué ha visto?
concern-shoplifting = Tomar cosas de las tiendas
concern-bathroom = Consumo de drogas en un baño
concern-transit = Pasar muchas horas en paradas o estaciones de transporte
concern-other = Otra cosa
refer-concern-text = Cuéntenos más
refer-safety = ¿Hay algo que los trabajadores de alcance comunitario deban saber para su seguridad?
refer-submit = Enviar referido
refer-privacy-note = Usamos esta información solo para ofrecer ayuda. Lea el aviso de privacidad.

## Referral confirmation
refer-done-title = Gracias, recibimos su referido
refer-done-code = Su código de referencia
refer-done-code-hint = Mencione este código si nos llama o nos escribe sobre este referido.
refer-done-next-title = Qué pasa ahora
refer-done-followup = Un administrador de casos se comunicará con usted a más tardar el { $due }.
refer-done-no-followup = Usted pidió que no nos comunicáramos con usted. Aun así, un administrador de casos leerá su referido a más tardar el { $due }.
refer-done-outreach = Los trabajadores de alcance comunitario buscarán a la persona y le ofrecerán ayuda. Aceptarla o no siempre es decisión de ella.
refer-done-another = Hacer otro referido

## Contact form
contact-title = Contáctenos
contact-lead = Preguntas sobre LEAD, comentarios o cualquier cosa que no sea un referido. Respondemos en un plazo de un día hábil.
contact-name = Su nombre
contact-reach = Teléfono o correo electrónico
contact-reach-hint = Para que podamos responderle.
contact-message = Su mensaje
contact-language = Idioma en el que quiere que le respondamos
contact-language-other = Otro idioma
contact-submit = Enviar mensaje
contact-done-title = Gracias, recibimos su mensaje
contact-done-body = Le responderemos a más tardar el { $due }.
contact-done-code = Su código de referencia

## Dates (used as "by { $due }")
date-time = { $weekday } { $day } de { $month } a las { $time }
time-am = { $hour }:{ $minute } a. m.
time-pm = { $hour }:{ $minute } p. m.
weekday-1 = lunes
weekday-2 = martes
weekday-3 = miércoles
weekday-4 = jueves
weekday-5 = viernes
weekday-6 = sábado
weekday-7 = domingo
month-1 = enero
month-2 = febrero
month-3 = marzo
month-4 = abril
month-5 = mayo
month-6 = junio
month-7 = julio
month-8 = agosto
month-9 = septiembre
month-10 = octubre
month-11 = noviembre
month-12 = diciembre

## Form messages
form-has-errors = Por favor, revise los campos marcados abajo. Todo lo que escribió sigue aquí.
error-required = Por favor, complete este campo.
error-too-long = Por favor, acórtelo a { $max } caracteres o menos.
error-choice = Por favor, elija una de las opciones.
error-phone = Por favor, escriba un número de teléfono de EE. UU. con código de área, por ejemplo 612-555-0123.
error-email = Por favor, escriba un correo electrónico, por ejemplo nombre@example.org.
error-reach = Por favor, díganos un número de teléfono o un correo electrónico.
error-followup-contact = Para que nos comuniquemos con usted, díganos un número de teléfono o un correo electrónico, o elija "No, no se comuniquen conmigo".
error-person = Por favor, díganos un nombre, un apodo o una breve descripción de la persona.
error-where = Por favor, elija un lugar o describa dónde ve a la persona.
honeypot-label = Deje este campo vacío
error-honeypot = Por favor, vuelva a enviar el formulario.
error-too-fast = Eso fue muy rápido. Por favor, revise el formulario y vuelva a enviarlo.
error-expired = Esta página estuvo abierta mucho tiempo. Por favor, revise el formulario y vuelva a enviarlo.
error-csrf = No pudimos confirmar que este formulario viniera de nuestro sitio. Por favor, vuelva a enviarlo.
error-save-failed = No pudimos guardar su formulario en este momento. Todo lo que escribió sigue aquí: por favor, vuelva a enviarlo en un minuto o llame al { $phone }.
error-rate-limited = Se han enviado demasiados formularios desde su conexión. Por favor, espere { $minutes } minutos y vuelva a intentarlo, o llame al { $phone }.

## Error pages
error-title-prefix = Error
error-not-found-title = No encontramos la página
error-not-found-body = No pudimos encontrar esa página.
error-too-large-title = Demasiado texto
error-too-large-body = Lo que envió era demasiado grande para que pudiéramos aceptarlo. Por favor, acórtelo y vuelva a intentarlo.
error-bad-request-title = Hubo un problema con esa solicitud
error-bad-request-body = Por favor, regrese y vuelva a intentarlo.
error-unauthorized-title = Inicie sesión, por favor
error-unauthorized-body = No ha iniciado sesión o su sesión terminó. Inicie sesión de nuevo para continuar.
error-forbidden-title = No permitido
error-forbidden-body = Su función no permite esto. Si lo necesita para su trabajo, pídalo a su gerente de proyecto.
error-internal-title = Algo salió mal de nuestro lado
error-internal-body = Usted no hizo nada para causar esto. Por favor, vuelva a intentarlo en unos minutos o llame al { $phone }.
error-back-home = Volver a la página de inicio

# Referral status and the acknowledgement email (issue 4)
refer-status-label = En qué punto está
refer-status-received = Recibido. Nadie lo ha tomado todavía.
refer-status-being-worked = Un administrador de casos está trabajando en él.
refer-status-closed = Cerrado. Gracias por avisarnos.
email-ack-subject = Su referido { $code } a LEAD
email-ack-body =
    Gracias por su referido. Un administrador de casos lo leyó y está trabajando en él.
    Su código de referencia es { $code }. Para proteger a la persona de la que nos habló, no compartimos lo que pasa después, pero puede ver si el referido está recibido, en proceso o cerrado aquí: { $link }
    LEAD no es un servicio de emergencia. En una emergencia, llame al 911.

# Printed consent form (issue 6): release of information under 42 CFR 2.31, written in the first person.
# Draft (machine-assisted, 2026-12-02) for community review; must also be checked against the English
# by someone who knows 42 CFR Part 2 consent requirements. $site is the program's name.
consent-form-title = Consentimiento para compartir información sobre mí
consent-form-intro = Este formulario permite que { $site } comparta cierta información sobre usted con una sola organización, para un solo propósito. Usted decide. Si dice que no, la ayuda que recibe de nosotros no cambia.
consent-form-name = Mi nombre
consent-form-discloser = Quién puede compartir la información
consent-form-recipient = Quién puede recibirla (una sola organización)
consent-form-covers = Qué se puede compartir (solo lo que está marcado)
consent-form-cover-participation = Que participo en { $site }, y desde cuándo
consent-form-cover-case-manager = Quién es mi administrador de casos, y cómo comunicarse con esa persona
consent-form-cover-progress = Con qué frecuencia he estado en contacto con mi administrador de casos, y cuándo fue la última vez
consent-form-cover-barriers = Notas generales sobre lo que me está ayudando y los obstáculos que tengo
consent-form-never = Con este formulario no se comparte nada sobre mi salud, mi salud mental ni mi consumo de alcohol o drogas.
consent-form-purpose = Para qué se puede compartir
consent-form-expires = Este consentimiento termina en esta fecha, a menos que yo lo retire antes
consent-form-revoke = Puedo retirar este consentimiento en cualquier momento, avisándole a mi administrador de casos o a cualquier persona de { $site }, en persona, por teléfono o por escrito. Si lo retiro, se deja de compartir información desde ese momento. Retirarlo no puede deshacer lo que ya se haya compartido.
consent-form-no-condition = No tengo que firmar este formulario. { $site } sigue trabajando conmigo, lo firme o no.
consent-form-redisclosure = Una vez que se comparta la información, la organización que la reciba podría volver a compartirla, y las reglas de privacidad que la protegen aquí podrían no protegerla allá.
consent-form-signature = Mi firma
consent-form-date = Fecha en que firmé
consent-form-staff = Miembro del personal que repasó este formulario conmigo
consent-form-copy = Puedo quedarme con una copia de este formulario.

## Data & Results (/data)
nav-data = Datos y resultados
data-title = Datos y resultados
data-lead = Lo que LEAD ha hecho desde que comenzó el { $start }, contado siempre de la misma manera. Las cifras pequeñas se omiten para que nadie pueda ser reconocido a partir de ellas.
data-as-of = Cifras al { $date }
data-period = Contado desde el { $start } hasta el final del día { $date }.
data-counter-enrolled = Clientes inscritos
data-counter-contacts = Contactos con clientes
data-counter-referrals = Referidos recibidos
data-as-of-label = Ver las cifras hasta otra fecha
data-as-of-hint = Un día entre el { $start } y hoy, escrito como AAAA-MM-DD.
data-as-of-button = Ver
data-error-malformed = Escriba la fecha como AAAA-MM-DD, por ejemplo 2024-03-25.
data-error-before-start = El programa comenzó el { $start }. Elija ese día o uno posterior.
data-error-future = Las cifras solo se conocen hasta hoy, { $today }.
data-fewer = menos de 11
data-hidden = omitido
data-suppression-note = "Menos de 11" significa entre 1 y 10 personas. "Omitido" marca una cifra que se deja fuera para que una cifra pequeña que está a su lado no se pueda calcular con una resta. Los contactos son encuentros, no personas, por eso siempre se muestran.
data-chart-note = Gráfico de barras. Las mismas cifras están en la tabla que aparece debajo.
data-chart-suppressed = Las barras con línea discontinua son meses con menos de 11, o con la cifra omitida.
data-empty = Todavía no se ha registrado nada en este período.
data-referrals-title = Referidos por mes
data-referrals-by-door = Referidos según la vía de entrada
data-contacts-title = Contactos con clientes por mes
data-enrolments-title = Inscripciones por mes
data-sources-title = Quién hizo los referidos de la comunidad
data-wait-title = Tiempo entre el referido y el primer encuentro
data-wait-lead = Para cada referido que terminó en una inscripción: los días entre el referido y la primera vez que un administrador de casos se reunió con la persona.
data-wait-median = La mitad de estas personas tuvo su primer encuentro en un plazo de { $days } días desde su referido.
data-wait-few = Todavía hay muy pocos primeros encuentros para indicar un tiempo de espera típico.
data-equity-title = Raza y origen étnico
data-equity-lead = LEAD busca corregir las desigualdades raciales desde la puerta de entrada del sistema legal. Las personas describen su propia raza y origen étnico al inscribirse; cada persona se cuenta en un solo grupo, como lo hace el censo.
data-equity-population = Población de { $area }
data-equity-source = Fuente de las cifras de población: { $source }.
data-equity-draft = Las cifras de población son un borrador y todavía no se han comparado con su fuente.
data-equity-no-population = Todavía no se han ingresado cifras de población para este sitio.
data-equity-housed = Con vivienda según su situación más reciente
data-equity-housed-note = Con vivienda: de los participantes cuya situación mensual más reciente se conoce, cuántos viven en una vivienda permanente. Se muestra solo cuando tanto el número de personas con vivienda como el de personas sin vivienda es de 11 o más.
data-not-counted = la fuente no cuenta este grupo
data-col-month = Mes
data-col-door = Vía de entrada
data-col-source = Quién refirió
data-col-wait = Tiempo
data-col-group = Grupo
data-col-count = Cantidad
data-col-total = Total
data-col-referrals = Referidos
data-col-enrolled = Inscritos
data-download = Descargar esta tabla (CSV)
data-json = Todas estas cifras en formato JSON
data-definitions = Cómo se cuenta cada cifra
data-definitions-version = Versión { $version } de las definiciones.
data-print = Para imprimir, use la opción de imprimir de su navegador: la página se imprime sin los menús.
door-community = Comunidad
door-social_contact = Policía, contacto social
door-arrest_diversion = Policía, en lugar de un arresto
door-self = Por cuenta propia
door-provider = Proveedor de servicios
source-resident = Residentes
source-business = Negocios
source-visitor = Visitantes
source-community_provider = Proveedores de servicios
source-other_community = Otras personas
wait-0_1 = El mismo día o el siguiente
wait-2_7 = De 2 a 7 días
wait-8_14 = De 8 a 14 días
wait-15_30 = De 15 a 30 días
wait-over_30 = Más de 30 días
group-hispanic_latinaeo = Hispano/Latina/e/o
group-am_ind_ak_native = Indio americano, nativo de Alaska o indígena
group-asian = Asiático o asiático-americano
group-black_af_american = Negro, afroamericano o africano
group-mid_east_n_african = Del Medio Oriente o del norte de África
group-native_hi_pacific = Nativo de Hawái o de otras islas del Pacífico
group-white = Blanco
group-more_than_one = Más de una raza
group-not_known = No se sabe
data-published-title = Trimestres publicados
data-published-lead = Cada trimestre, el programa publica sus cifras tal como estaban el último día del trimestre. Las cifras publicadas se conservan exactamente como eran, aunque los registros se corrijan después.
data-published-none = Todavía no se ha publicado ningún trimestre.
data-published-col-quarter = Trimestre
data-published-col-on = Fecha de publicación
data-published-frozen = Estas son las cifras de { $quarter }, tal como se publicaron el { $date } y contadas según la versión { $version } de las definiciones. Nunca cambian. Las cifras actuales están en la página Datos y resultados.
data-published-live = Ver las cifras actuales

## Community feedback on referrals (/feedback)
feedback-title = ¿Cómo le fue con su referido?
feedback-lead = Si usted refirió a alguien a LEAD, cuéntenos cómo le fue. El Equipo de Liderazgo Comunitario, formado por vecinos que ayudan a orientar LEAD, sigue de cerca lo que la gente cuenta aquí.
feedback-privacy = Por favor, no escriba el nombre de ninguna persona ni nada que permita saber quién es. Tampoco le pedimos su nombre a usted. El gerente de proyecto lee primero cada comentario, y solo lo pasa al equipo después de quitar cualquier detalle que permita identificar a alguien.
feedback-code = Su código de referencia, si lo tiene
feedback-code-hint = Aparecía en la página que vio después de enviar el referido, por ejemplo K7QM-4Z2P. Con este código, el gerente de proyecto puede saber de qué referido se trata. Si prefiere no darlo, deje el campo vacío.
feedback-respondent-unsaid = Prefiero no decirlo
feedback-answered = ¿Alguien de LEAD se comunicó con usted?
feedback-answered-in_time = Sí, en un plazo de un día hábil
feedback-answered-later = Sí, pero después de ese plazo
feedback-answered-not_yet = No, todavía no
feedback-answered-not_asked = Pedí que no se comunicaran conmigo
feedback-rating = ¿Qué tan bien atendió LEAD su referido?
feedback-rating-very_well = Muy bien
feedback-rating-well = Bien
feedback-rating-not_well = No muy bien
feedback-rating-poorly = Mal
feedback-comment = Algo que quiera contarle al equipo
feedback-comment-hint = Opcional: qué salió bien y qué se podría mejorar.
feedback-answer-note = No podemos responder a los comentarios. Si necesita una respuesta, use el formulario de contacto.
feedback-submit = Enviar comentarios
feedback-done-title = Gracias por sus comentarios
feedback-done-body = Los recibimos. Cada mes, el Equipo de Liderazgo Comunitario ve en cifras cómo les fue a los referidos, y también los comentarios que el gerente de proyecto le ha pasado.
refer-done-feedback = Más adelante, cuéntenos cómo le fue con su referido
gov-clt-feedback = Cuéntenos cómo le fue con su referido
error-unknown-code = No tenemos ningún referido con este código. Revíselo o deje el campo vacío.
